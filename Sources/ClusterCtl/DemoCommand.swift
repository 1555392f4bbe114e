import ArgumentParser
import ClusterCore
import Foundation

/// A self-contained tour on embedded defaults: no configuration, no root, nothing listening.
/// It builds a directory like the paper's five-server cluster, lists it, and shows two replicas
/// converging.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Build a sample cluster directory in a temporary folder and show it.",
        discussion: "Creates servers, two user groups on server pairs, users and thin clients, lists them, then copies the directory to a second replica through a replication delta and compares their digests. The files are kept so you can explore them with --db.")

    @Option(help: "Folder for the demo's files (default: a new temporary folder).") var dir: String?

    func run() async throws {
        let folder = dir ?? FileManager.default.temporaryDirectory.appendingPathComponent("thincluster-demo-\(ProcessInfo.processInfo.processIdentifier)").path
        let primary = "\(folder)/directory.sqlite"
        let secondary = "\(folder)/replica-2.sqlite"
        for path in [primary, secondary] where FileManager.default.fileExists(atPath: path) {
            throw CommandFailure("\(path) exists already; choose an empty --dir")
        }
        let output = Output(json: false)
        let directory = try open(primary)
        try perform { () throws(DirectoryError) in try seed(directory) }

        section("servers")
        output.table(["name", "address", "roles", "weight", "state"], try perform { () throws(DirectoryError) in try directory.servers() }.map {
            [$0.name, $0.address, $0.roles.map(\.rawValue).joined(separator: ","), String($0.weight), $0.state.rawValue]
        })
        section("user groups (home directories mirrored on each pair)")
        let users = try perform { () throws(DirectoryError) in try directory.users() }
        output.table(["name", "servers", "users"], try perform { () throws(DirectoryError) in try directory.groups() }.map { group in
            [group.name, group.servers.joined(separator: ","), users.filter { $0.group == group.name }.map(\.name).joined(separator: ",")]
        })
        section("thin clients (the same binding on every DHCP server)")
        output.table(["mac", "ip", "hostname", "profile"], try perform { () throws(DirectoryError) in try directory.hosts() }.map {
            [$0.mac.description, $0.ip, $0.hostname, $0.profile ?? "-"]
        })
        section("where alice may log in")
        let placement = try perform { () throws(DirectoryError) in try directory.placement(ofUser: "alice") }
        print("alice -> group \(placement?.user.group ?? "?") -> \(placement?.servers.map { "\($0.name) (\($0.address))" }.joined(separator: ", ") ?? "?")")

        section("replication: a second replica pulls everything it lacks")
        let replica = try open(secondary)
        let outcome = try perform { () throws(DirectoryError) -> ApplyOutcome in
            let delta = try directory.changes(since: try replica.versionVector())
            return try replica.apply(delta)
        }
        try perform { () throws(DirectoryError) in try replica.addUser(named: "frank", group: "pupils") }
        let back = try perform { () throws(DirectoryError) -> ApplyOutcome in
            try directory.apply(try replica.changes(since: try directory.versionVector()))
        }
        let (first, second) = try perform { () throws(DirectoryError) in (try directory.revision(), try replica.revision()) }
        print("replica 2 applied \(outcome.applied) changes; wrote user frank; replica 1 pulled \(back.applied) back")
        output.table(["replica", "file", "records", "digest"], [
            [first.replicaID.rawValue, primary, String(first.recordCount), first.digest],
            [second.replicaID.rawValue, secondary, String(second.recordCount), second.digest],
        ])
        print(first.digest == second.digest ? "the replicas are identical" : "the replicas differ")
        print("\nexplore further: swift run tcctl user list --db \(primary)")
    }

    private func open(_ path: String) throws -> Directory {
        do { return try Directory.open(path: path) } catch { throw CommandFailure(error.description, exitCode: 3) }
    }

    private func section(_ title: String) { print("\n== \(title)") }

    private func seed(_ directory: Directory) throws(DirectoryError) {
        for index in 1...5 {
            let roles: [ServerRole] = index <= 2 ? [.session, .boot, .balancer] : [.session]
            try directory.addServer(Server(name: "server\(index)", address: "192.0.2.1\(index)", roles: roles, weight: index == 5 ? 2 : 1))
        }
        try directory.addGroup(named: "staff", servers: ["server1", "server2"])
        try directory.addGroup(named: "pupils", servers: ["server3", "server4"])
        try directory.addGroup(named: "lab", servers: ["server5", "server1"])
        for (user, group) in [("alice", "staff"), ("bob", "staff"), ("carol", "pupils"), ("dave", "pupils"), ("erin", "lab")] {
            try directory.addUser(named: user, group: group)
        }
        _ = try directory.importHosts(csv: """
            mac,ip,hostname,profile
            52:54:00:00:10:01,192.0.2.101,tc-01,
            52:54:00:00:10:02,192.0.2.102,tc-02,
            52:54:00:00:10:03,192.0.2.103,tc-03,uefi
            """)
        try directory.setSetting("dhcp.lease-time", to: "86400")
    }
}
