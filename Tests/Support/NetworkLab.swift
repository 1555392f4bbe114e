import Foundation

/// A little LAN made of network namespaces, for tests of what crosses a real network (DHCP
/// broadcasts, TFTP): a bridge in its own namespace stands for the switch, and every host is a
/// namespace plugged into it with a veth pair. Addresses live only inside these namespaces.
///
/// Needs root (CI and the development machines run as root). Names carry this process's pid,
/// so `destroy()` — called by each test in a `defer` — removes exactly what this lab made, and
/// `removeLeftovers()` removes labs of test processes that died without cleaning up.
public final class NetworkLab: @unchecked Sendable {
    public struct Host: Sendable {
        public let name: String
        public let namespace: String
        /// The host's interface inside its namespace.
        public let interface: String
        public let mac: String
        public let address: String?

        /// A command run inside the host's namespace, as a child process the test controls.
        public func start(_ name: String, _ command: [String], logDirectory: URL) throws -> ChildProcess {
            try ChildProcess(name: name, executable: URL(fileURLWithPath: "/usr/sbin/ip"),
                             arguments: ["netns", "exec", namespace] + command, logDirectory: logDirectory)
        }

        /// A command run to completion inside the host's namespace.
        public func run(_ command: [String], timeout: Duration = .seconds(30)) throws -> ToolResult {
            try runTool("/usr/sbin/ip", ["netns", "exec", namespace] + command, timeout: timeout)
        }
    }

    public let id: String
    public let folder: URL
    private let bridgeNamespace: String
    private var hosts: [Host] = []

    static let prefix = "tclab"

    /// Whether namespaces can be made here (root, iproute2).
    public static var isAvailable: Bool {
        geteuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/sbin/ip")
    }

    public init() throws {
        NetworkLab.removeLeftovers()
        id = "\(NetworkLab.prefix)-\(getpid())-\(UInt16.random(in: 0...UInt16.max))"
        bridgeNamespace = "\(id)-sw"
        folder = FileManager.default.temporaryDirectory.appendingPathComponent(id)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try NetworkLab.ip(["netns", "add", bridgeNamespace])
        try NetworkLab.ip(["-n", bridgeNamespace, "link", "add", "br0", "type", "bridge"])
        try NetworkLab.ip(["-n", bridgeNamespace, "link", "set", "br0", "up"])
        try NetworkLab.ip(["-n", bridgeNamespace, "link", "set", "lo", "up"])
    }

    /// Plugs a new host into the switch. `address` (CIDR, e.g. "10.213.0.1/24") is set on its
    /// interface; nil leaves it unconfigured, as a thin client before DHCP.
    @discardableResult
    public func addHost(_ name: String, address: String? = nil, mac: String? = nil) throws -> Host {
        let index = hosts.count
        let namespace = "\(id)-\(name)"
        let mac = mac ?? String(format: "52:54:00:5a:%02x:%02x", (index >> 8) & 0xFF, index & 0xFF)
        try NetworkLab.ip(["netns", "add", namespace])
        let hostSide = "veth\(index)", switchSide = "port\(index)"
        try NetworkLab.ip(["-n", namespace, "link", "add", hostSide, "address", mac, "type", "veth", "peer", "name", switchSide, "netns", bridgeNamespace])
        try NetworkLab.ip(["-n", bridgeNamespace, "link", "set", switchSide, "master", "br0"])
        try NetworkLab.ip(["-n", bridgeNamespace, "link", "set", switchSide, "up"])
        try NetworkLab.ip(["-n", namespace, "link", "set", "lo", "up"])
        try NetworkLab.ip(["-n", namespace, "link", "set", hostSide, "up"])
        if let address { try NetworkLab.ip(["-n", namespace, "addr", "add", address, "dev", hostSide]) }
        let host = Host(name: name, namespace: namespace, interface: hostSide, mac: mac, address: address?.split(separator: "/").first.map(String.init))
        hosts.append(host)
        return host
    }

    /// A tap device plugged into the switch, for a virtual machine (QEMU `-netdev tap`) that
    /// must run inside the switch's namespace: `run` or `start` the emulator with the returned
    /// host. The tap goes with the switch's namespace on `destroy()`.
    public func addTap(_ name: String) throws -> Host {
        try NetworkLab.ip(["-n", bridgeNamespace, "tuntap", "add", "dev", name, "mode", "tap"])
        try NetworkLab.ip(["-n", bridgeNamespace, "link", "set", name, "master", "br0"])
        try NetworkLab.ip(["-n", bridgeNamespace, "link", "set", name, "up"])
        return Host(name: name, namespace: bridgeNamespace, interface: name, mac: "", address: nil)
    }

    /// The IPv4 addresses configured on a host's interface now.
    public func addresses(of host: Host) throws -> [String] {
        let result = try runTool("/usr/sbin/ip", ["-n", host.namespace, "-4", "-o", "addr", "show", "dev", host.interface])
        return result.stdout.split(separator: "\n").compactMap { line in
            let words = line.split(separator: " ")
            guard let index = words.firstIndex(of: "inet"), index + 1 < words.count else { return nil }
            return words[index + 1].split(separator: "/").first.map(String.init)
        }
    }

    /// Removes every namespace of this lab (their veth pairs and the bridge go with them) and
    /// its folder. Processes still running inside are killed first.
    public func destroy() {
        for namespace in hosts.map(\.namespace) + [bridgeNamespace] {
            NetworkLab.killProcesses(in: namespace)
            _ = try? runTool("/usr/sbin/ip", ["netns", "delete", namespace])
        }
        hosts.removeAll()
        try? FileManager.default.removeItem(at: folder)
    }

    /// Deletes labs left by test processes that are gone (a crash, a kill -9 of the runner).
    public static func removeLeftovers() {
        guard let list = try? runTool("/usr/sbin/ip", ["netns", "list"]) else { return }
        for line in list.stdout.split(separator: "\n") {
            let name = String(line.split(separator: " ").first ?? "")
            let parts = name.split(separator: "-")
            guard parts.count >= 3, parts[0] == prefix, let pid = Int32(parts[1]), kill(pid, 0) != 0, errno == ESRCH else { continue }
            killProcesses(in: name)
            _ = try? runTool("/usr/sbin/ip", ["netns", "delete", name])
        }
    }

    private static func killProcesses(in namespace: String) {
        guard let pids = try? runTool("/usr/sbin/ip", ["netns", "pids", namespace]) else { return }
        for pid in pids.stdout.split(separator: "\n").compactMap({ Int32($0) }) { kill(pid, SIGKILL) }
    }

    private static func ip(_ arguments: [String]) throws {
        let result = try runTool("/usr/sbin/ip", arguments)
        guard result.status == 0 else {
            throw NetworkLabError("ip \(arguments.joined(separator: " ")) failed: \(result.stderr)")
        }
    }
}

public struct NetworkLabError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
