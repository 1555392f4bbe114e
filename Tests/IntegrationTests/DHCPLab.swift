import ClusterTestSupport
import Foundation

/// A LAN of network namespaces with `servers` boot servers running the real tc-dhcpd, each
/// with its own directory replica holding the same bindings, and thin clients plugged in
/// unconfigured, as before DHCP. The subnet is 10.213.0.0/24; servers are .1, .2, ...
final class DHCPLab {
    struct Client {
        let host: NetworkLab.Host
        let mac: String
    }

    let lab: NetworkLab
    private(set) var servers: [NetworkLab.Host] = []
    private(set) var daemons: [ChildProcess] = []
    /// Each server's directory replica, in server order.
    private(set) var databases: [String] = []

    /// The reserved clients: MAC → (address, hostname).
    static let bindings: [(mac: String, ip: String, hostname: String)] = [
        ("52:54:00:7c:00:01", "10.213.0.101", "tc101"),
        ("52:54:00:7c:00:02", "10.213.0.102", "tc102"),
        ("52:54:00:7c:00:03", "10.213.0.103", "tc103"),
    ]
    static let unknownMAC = "52:54:00:7c:00:99"

    /// - Parameter dhcp: extra lines of the `dhcp:` section, indented by four spaces.
    init(servers count: Int, dhcp: [String] = []) throws {
        lab = try NetworkLab()
        do {
            for index in 1...count {
                let server = try lab.addHost("srv\(index)", address: "10.213.0.\(index)/24")
                servers.append(server)
                let state = lab.folder.appendingPathComponent("srv\(index)")
                try FileManager.default.createDirectory(at: state, withIntermediateDirectories: true)
                let database = state.appendingPathComponent("directory.sqlite").path
                try Self.fillDirectory(database, servers: count)
                databases.append(database)
                let config = state.appendingPathComponent("node.yaml")
                let yaml = """
                    node:
                      name: srv\(index)
                      stateDirectory: \(state.path)
                    dhcp:
                      interfaces: [\(server.interface)]
                      metricsListen: "127.0.0.1:9767"
                    \(dhcp.map { "  " + $0 }.joined(separator: "\n"))
                    """
                try yaml.write(to: config, atomically: true, encoding: .utf8)
                let daemon = try server.start("tc-dhcpd-\(index)", [Binaries.url("tc-dhcpd").path, "--config", config.path],
                                              logDirectory: lab.folder)
                daemons.append(daemon)
                guard daemon.waitForLine(containing: "listening on", timeout: .seconds(20)) != nil else {
                    throw ToolError("tc-dhcpd on srv\(index) did not start:\n\(daemon.log)")
                }
            }
        } catch {
            destroy()
            throw error
        }
    }

    /// The same bindings in every replica, and every server a load balancer.
    private static func fillDirectory(_ path: String, servers: Int) throws {
        let csv = "mac,ip,hostname\n" + bindings.map { "\($0.mac),\($0.ip),\($0.hostname)" }.joined(separator: "\n") + "\n"
        let imported = try runTool("tcctl", ["host", "import", "--db", path, "-"], stdin: csv)
        guard imported.status == 0 else { throw ToolError("tcctl host import: \(imported.stderr)") }
        for index in 1...servers {
            let added = try runTool("tcctl", ["server", "add", "--db", path, "srv\(index)", "--address", "10.213.0.\(index)", "--roles", "balancer,boot"])
            guard added.status == 0 else { throw ToolError("tcctl server add: \(added.stderr)") }
        }
    }

    func addClient(_ name: String, mac: String) throws -> Client {
        Client(host: try lab.addHost(name, mac: mac), mac: mac)
    }

    /// A udhcpc hook that appends each event and its variables, one `key=value` per line and a
    /// `--` line after each event, to `<folder>/<client>.events`.
    func udhcpcScript(for client: Client) throws -> (script: String, events: URL) {
        let events = lab.folder.appendingPathComponent("\(client.host.name).events")
        let script = lab.folder.appendingPathComponent("\(client.host.name).udhcpc.sh")
        try """
            #!/bin/sh
            { echo "event=$1"; env | grep -E '^(ip|siaddr|serverid|boot_file|rootpath|tftp|hostname|subnet|lease|opt224)=' | sort; echo --; } >> '\(events.path)'
            """.write(to: script, atomically: true, encoding: .utf8)
        chmod(script.path, 0o755)
        return (script.path, events)
    }

    /// The events a udhcpc hook recorded so far, each as its variables.
    static func events(in url: URL) -> [[String: String]] {
        let text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
        // Only whole events: the hook writes an event's lines one process at a time, so the
        // text after the last "--" may be an event still being written.
        return text.components(separatedBy: "--\n").dropLast().compactMap { block in
            let pairs = block.split(separator: "\n").compactMap { line -> (String, String)? in
                guard let equals = line.firstIndex(of: "=") else { return nil }
                return (String(line[..<equals]), String(line[line.index(after: equals)...]))
            }
            return pairs.isEmpty ? nil : Dictionary(pairs, uniquingKeysWith: { $1 })
        }
    }

    /// The tc-dhcpd logs, for failure messages.
    var logs: String { daemons.map { "--- \($0.name)\n\($0.log)" }.joined(separator: "\n") }

    func destroy() {
        for daemon in daemons { daemon.stop() }
        lab.destroy()
    }
}
