import ClusterCore
import Foundation

/// The processes, addresses and data of `tcctl demo`.
final class DemoCluster: @unchecked Sendable {
    struct Member {
        var name: String
        var load: Double
        var users: [String]
        var balancer: Bool
    }

    let binaries: DemoBinaries
    let folder: URL
    let subnet: String
    let port: UInt16
    let keyPath: String
    private var children: [Process] = []

    /// The paper's figure 5: five servers, two running the load balancer too.
    let members = [
        Member(name: "server1", load: 0.6, users: ["alice"], balancer: true),
        Member(name: "server2", load: 0.2, users: [], balancer: true),
        Member(name: "server3", load: 1.8, users: ["carol", "dave"], balancer: false),
        Member(name: "server4", load: 0.4, users: [], balancer: false),
        Member(name: "server5", load: 0.9, users: ["erin"], balancer: false),
    ]

    init(binaries: DemoBinaries, folder: URL, subnet: String, port: UInt16) {
        self.binaries = binaries
        self.folder = folder
        self.subnet = subnet
        self.port = port
        keyPath = folder.appendingPathComponent("cluster.key").path
    }

    func address(_ index: Int) -> String { "\(subnet).\(11 + index)" }
    var balancerAddresses: [String] { members.indices.filter { members[$0].balancer }.map(address) }
    var clientEndpoints: String { balancerAddresses.map { "\($0):\(port)" }.joined(separator: ",") }
    var adminEndpoints: String { balancerAddresses.map { "\($0):\(port + 2)" }.joined(separator: ",") }

    func start() async throws {
        try ClusterKey.generate().write(to: keyPath)
        for (index, member) in members.enumerated() {
            let state = folder.appendingPathComponent(member.name)
            try FileManager.default.createDirectory(at: state, withIntermediateDirectories: true)
            var arguments = ["--name", member.name, "--listen", "\(address(index)):\(port + 1)", "--key-file", keyPath,
                             "--state-dir", state.path, "--simulate", "--simulate-load", String(member.load), "--simulate-cpus", "4"]
            if !member.users.isEmpty { arguments += ["--simulate-users", member.users.joined(separator: ",")] }
            try launch(binaries.health, arguments, log: "\(member.name)-healthd.log")
        }
        for (index, member) in members.enumerated() where member.balancer {
            let peers = balancerAddresses.filter { $0 != address(index) }.flatMap { ["--peer", "\($0):\(port + 2)"] }
            try launch(binaries.balancer, [
                "--name", member.name, "--db", folder.appendingPathComponent("\(member.name)-directory.sqlite").path,
                "--key-file", keyPath, "--listen", "\(address(index)):\(port)", "--admin-listen", "\(address(index)):\(port + 2)",
                "--metrics-listen", "\(address(index)):\(port + 3)", "--health-port", String(port + 1), "--admin-port", String(port + 2),
                "--anti-entropy-ms", "2000",
            ] + peers, log: "\(member.name)-lbd.log")
        }
    }

    private func launch(_ binary: URL, _ arguments: [String], log: String) throws {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        let logURL = folder.appendingPathComponent(log)
        FileManager.default.createFile(atPath: logURL.path, contents: nil)
        let output = try FileHandle(forWritingTo: logURL)
        process.standardOutput = output
        process.standardError = output
        try process.run()
        children.append(process)
    }

    func adminClient() -> AdminClient {
        // Keys and endpoints the demo made itself; they parse.
        let endpoints = balancerAddresses.map { Endpoint(host: $0, port: port + 2) }
        let key = (try? ClusterKey.load(path: keyPath)) ?? ClusterKey.generate()
        return AdminClient(endpoints: endpoints, key: key, timeout: .seconds(3))
    }

    /// Writes the directory through the load balancers, retrying while they start.
    func seed(_ client: AdminClient) async throws {
        var commands: [DirectoryCommand] = members.enumerated().map { index, member in
            .addServer(Server(name: member.name, address: address(index),
                              roles: member.balancer ? [.session, .boot, .balancer] : [.session], weight: member.name == "server5" ? 2 : 1))
        }
        commands += [
            .addGroup(name: "staff", servers: ["server1", "server2"]),
            .addGroup(name: "pupils", servers: ["server3", "server4"]),
            .addGroup(name: "lab", servers: ["server5", "server1"]),
            .importUsers(csv: "alice,staff\nbob,staff\ncarol,pupils\ndave,pupils\nfrank,pupils\nerin,lab\ngrace,lab\n", update: false),
            .importHosts(csv: "52:54:00:00:10:01,192.0.2.101,tc-01\n52:54:00:00:10:02,192.0.2.102,tc-02\n52:54:00:00:10:03,192.0.2.103,tc-03,uefi\n", update: false),
            .setSetting(key: "dhcp.lease-time", value: "86400"),
        ]
        let deadline = ContinuousClock.now + .seconds(20)
        for command in commands {
            while true {
                do {
                    _ = try await client.execute(command)
                    break
                } catch let failure as CommandFailure where failure.exitCode == 4 && ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(100))
                }
            }
        }
    }

    /// Waits until both load balancers hold the same directory and see every server alive.
    func waitUntilConverged(_ client: AdminClient) async throws {
        let status = ClusterStatus(client: client)
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            let report = await status.gather()
            let allAlive = report.balancers.allSatisfy { $0.status?.servers.filter { $0.roles.contains(.session) }.allSatisfy(\.alive) == true }
            if report.healthy, allAlive, report.balancers.count == balancerAddresses.count { return }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw CommandFailure("the demo cluster did not come up within 20 s; logs are in \(folder.path)")
    }

    func printIntroduction() {
        print("ThinCluster demo: 5 servers, 2 load balancers, on loopback")
        for (index, member) in members.enumerated() {
            let roles = member.balancer ? "tc-healthd :\(port + 1), tc-lbd :\(port) (thin clients) :\(port + 2) (admin) :\(port + 3) (metrics)" : "tc-healthd :\(port + 1)"
            print("  \(member.name)  \(address(index))  \(roles)")
        }
        print("groups: staff on server1+server2, pupils on server3+server4, lab on server5+server1")
        printHints()
    }

    func printHints() {
        let tcctl = "tcctl --lb \(adminEndpoints) --key-file \(keyPath)"
        print("\ntry, in another terminal:")
        print("  swift run tc-login --lb \(clientEndpoints) --display-command \"echo X session on {server}\"")
        print("  swift run \(tcctl.replacingOccurrences(of: "tcctl --lb", with: "tcctl user add zoe --group staff --lb"))")
        print("  swift run tcctl server drain server2 --lb \(adminEndpoints) --key-file \(keyPath) --health-port \(port + 1)")
        print("  curl http://\(balancerAddresses[0]):\(port + 3)/metrics")
    }

    /// A few logins, as thin clients would make them, to show the choices.
    func sampleLogins() async throws {
        print("\nsample logins (SERVER <user> to the first load balancer that answers):")
        let client = LineClient(endpoints: balancerAddresses.map { Endpoint(host: $0, port: port) }, timeout: .seconds(2))
        for user in ["alice", "bob", "carol", "frank", "erin", "grace", "mallory"] {
            let answer: String
            do {
                let reply = try await client.send(try Request(verb: BalancerVerb.server, arguments: [user]))
                switch reply.response {
                case let .ok(words):
                    let name = members.indices.first { address($0) == words.first }.map { members[$0].name } ?? "?"
                    answer = "\(words.first ?? "?") (\(name))"
                case let .error(code, text): answer = "ERR \(code.rawValue) \(text)"
                }
            } catch {
                answer = "no answer: \(error)"
            }
            print("  \(user.padding(toLength: 8, withPad: " ", startingAt: 0)) -> \(answer)")
        }
    }

    func stop() {
        for child in children where child.isRunning { child.terminate() }
        for child in children { child.waitUntilExit() }
        children.removeAll()
        try? FileManager.default.removeItem(at: folder)
    }
}
