import Foundation
import NIOCore

/// Renders `NAME.tmpl` into the file a client asked for as `NAME`: boot configurations that
/// must differ per server or per client (a PXELINUX or iPXE script naming the answering server
/// as NFS root, or carrying the load balancers), computed at request time instead of kept as
/// one file per client.
///
/// Placeholders: `{server}` (the address the request was sent to), `{client}` (the client's
/// address), `{mac}`, `{hostname}`, `{profile}` (from the directory entry bound to that
/// address; empty for a client the directory does not know) and `{loadBalancers}` (the
/// balancers' addresses, comma-separated). Anything else in braces is left as written.
enum TemplateRenderer {
    static let suffix = ".tmpl"
    /// Templates are configuration, not images: larger ones are refused rather than read.
    static let maximumSize = 256 << 10

    static func render(_ template: String, server: String, client: String, table: ClientTable) -> ByteBuffer {
        let entry = table.client(at: client)
        let values = [
            "{server}": server, "{client}": client, "{mac}": entry?.mac ?? "", "{hostname}": entry?.hostname ?? "",
            "{profile}": entry?.profile ?? "", "{loadBalancers}": table.loadBalancers.joined(separator: ","),
        ]
        var text = template
        for (placeholder, value) in values { text = text.replacingOccurrences(of: placeholder, with: value) }
        return ByteBuffer(string: text)
    }
}
