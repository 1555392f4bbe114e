import Foundation

/// A server a `LineClient` can connect to: a host name or address, and a TCP port.
///
/// Written `host:port`, or `[address]:port` for IPv6, whose colons would otherwise be
/// ambiguous (RFC 3986 section 3.2.2). The node configuration stores endpoints in the same
/// form, parsed once at load so that a daemon never meets a malformed address at the moment it
/// needs to fail over.
public struct Endpoint: Hashable, Sendable, Codable, CustomStringConvertible {
    /// A DNS name or an IP address, without brackets.
    public var host: String
    /// The TCP port.
    public var port: UInt16

    /// An endpoint from parts; no validation, `LineClient` reports a bad one when it fails to connect.
    public init(host: String, port: UInt16) {
        self.host = host
        self.port = port
    }

    /// Parses `host:port` or `[v6-address]:port`, with a port in 1...65535.
    public init(parsing text: String) throws(EndpointError) {
        guard !text.isEmpty else { throw .empty }
        guard !text.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value == 0x7F }) else {
            throw .invalidCharacter(text)
        }
        let host: Substring
        let portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { throw .unclosedBracket(text) }
            host = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":") else { throw .missingPort(text) }
            guard host.contains(":") else { throw .bracketedNonIPv6(text) }
            portText = rest.dropFirst()
        } else {
            guard let colon = text.lastIndex(of: ":") else { throw .missingPort(text) }
            host = text[..<colon]
            guard !host.contains(":") else { throw .unbracketedIPv6(text) }
            portText = text[text.index(after: colon)...]
        }
        guard !host.isEmpty else { throw .emptyHost(text) }
        guard !host.contains("[") && !host.contains("]") && !host.contains("/") else { throw .invalidCharacter(text) }
        guard Endpoint.isValidHost(String(host)) else { throw .invalidHost(text) }
        // Digits only: `UInt16("+80")` accepts a sign no one means in an address.
        guard !portText.isEmpty, portText.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
              let port = UInt16(portText), port != 0
        else { throw .invalidPort(text) }
        self.init(host: String(host), port: port)
    }

    /// An IPv6 literal, an IPv4 dotted quad, or a DNS name. A name made only of digits and dots
    /// is taken as an IPv4 address and must be one, so `10.0.0.300` is refused, not looked up.
    private static func isValidHost(_ host: String) -> Bool {
        if host.contains(":") {
            var address = in6_addr()
            return inet_pton(AF_INET6, host, &address) == 1
        }
        if host.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2E }) {
            var address = in_addr()
            return inet_pton(AF_INET, host, &address) == 1
        }
        return (try? Names.validateHostname(host)) != nil
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do {
            self = try Endpoint(parsing: text)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    /// `host:port`, with brackets around an IPv6 address.
    public var description: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}
