import ClusterCore
import ClusterTestSupport
import Foundation
import Testing

/// A ThinCluster on loopback, made of real daemons as child processes: tc-healthd agents with
/// simulated load (one per server, each on its own 127.x.y.z address) and tc-lbd load
/// balancers, with their own directory files, a cluster key, and tcctl to drive them.
///
/// Every harness takes its own random 127.x.y.0/24 and random ports, so harnesses never meet;
/// `shutdown()` kills every process it started and removes its folder, and each test calls it
/// in a `defer`, so a failing test leaves nothing behind.
final class ClusterHarness: @unchecked Sendable {
    struct Timing {
        var healthIntervalMilliseconds = 200
        var healthTimeoutMilliseconds = 200
        var antiEntropyMilliseconds = 1000
    }

    let folder: URL
    let keyPath: String
    let key: ClusterKey
    let subnet: String
    let clientPort: UInt16
    let adminPort: UInt16
    let healthPort: UInt16
    let metricsPort: UInt16
    let timing: Timing
    private(set) var agents: [String: ChildProcess] = [:]
    private(set) var balancers: [String: ChildProcess] = [:]
    private var finished: [ChildProcess] = []

    init(timing: Timing = Timing()) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("tc-cluster-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        keyPath = folder.appendingPathComponent("cluster.key").path
        key = ClusterKey.generate()
        try key.write(to: keyPath)
        subnet = "127.\(Int.random(in: 1...254)).\(Int.random(in: 1...254))"
        let base = UInt16.random(in: 20_000...60_000)
        (clientPort, healthPort, adminPort, metricsPort) = (base, base + 1, base + 2, base + 3)
        self.timing = timing
    }

    /// The loopback address of host number `index` (servers from 11, load balancers from 2).
    func address(_ index: Int) -> String { "\(subnet).\(index)" }

    func clientEndpoint(_ balancer: String) -> Endpoint { Endpoint(host: balancerAddress(balancer), port: clientPort) }
    func adminEndpoint(_ balancer: String) -> Endpoint { Endpoint(host: balancerAddress(balancer), port: adminPort) }
    private(set) var balancerAddresses: [String: String] = [:]
    func balancerAddress(_ name: String) -> String { balancerAddresses[name] ?? "?" }

    // MARK: - Daemons

    @discardableResult
    func startAgent(_ name: String, address: String, load: Double = 0.2, users: [String] = [], extra: [String] = []) throws -> ChildProcess {
        var arguments = ["--name", name, "--listen", "\(address):\(healthPort)", "--key-file", keyPath,
                         "--state-dir", folder.appendingPathComponent("state-\(name)").path,
                         "--simulate", "--simulate-load", String(load), "--simulate-cpus", "4"]
        if !users.isEmpty { arguments += ["--simulate-users", users.joined(separator: ",")] }
        arguments += extra
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("state-\(name)"), withIntermediateDirectories: true)
        let child = try ChildProcess(name: "healthd-\(name)", executable: Binaries.url("tc-healthd"), arguments: arguments, logDirectory: folder)
        guard child.waitForLine(containing: "listening") != nil else {
            child.stop()
            throw HarnessError("tc-healthd \(name) did not start: \(child.log)")
        }
        agents[name] = child
        return child
    }

    /// Starts a load balancer on `address`; its peers are the other load balancers started
    /// before it, and the later ones learn it from their own flags or from the directory.
    @discardableResult
    func startBalancer(_ name: String, address: String, peers: [String] = [], extra: [String] = []) throws -> ChildProcess {
        balancerAddresses[name] = address
        var arguments = [
            "--name", name, "--db", folder.appendingPathComponent("\(name).sqlite").path, "--key-file", keyPath,
            "--listen", "\(address):\(clientPort)", "--admin-listen", "\(address):\(adminPort)",
            "--metrics-listen", "\(address):\(metricsPort)", "--health-port", String(healthPort), "--admin-port", String(adminPort),
            "--health-interval-ms", String(timing.healthIntervalMilliseconds),
            "--health-timeout-ms", String(timing.healthTimeoutMilliseconds),
            "--anti-entropy-ms", String(timing.antiEntropyMilliseconds), "--client-rate", "100000",
        ]
        for peer in peers { arguments += ["--peer", "\(balancerAddress(peer)):\(adminPort)"] }
        let child = try ChildProcess(name: "lbd-\(name)-\(UUID().uuidString.prefix(4))", executable: Binaries.url("tc-lbd"),
                                     arguments: arguments + extra, logDirectory: folder)
        guard child.waitForLine(containing: "listening") != nil else {
            child.stop()
            throw HarnessError("tc-lbd \(name) did not start: \(child.log)")
        }
        if let previous = balancers[name] { finished.append(previous) }
        balancers[name] = child
        return child
    }

    func kill(agent name: String) {
        agents[name]?.signal(SIGKILL)
        agents[name]?.waitForExit()
    }

    func kill(balancer name: String) {
        balancers[name]?.signal(SIGKILL)
        balancers[name]?.waitForExit()
    }

    func shutdown() {
        for child in Array(agents.values) + Array(balancers.values) + finished { child.signal(SIGKILL) }
        for child in Array(agents.values) + Array(balancers.values) + finished { child.waitForExit(timeout: .seconds(5)) }
        try? FileManager.default.removeItem(at: folder)
    }

    // MARK: - Clients

    /// Runs tcctl against the given load balancers (all by default) and returns its result.
    @discardableResult
    func tcctl(_ arguments: [String], via names: [String]? = nil, stdin: String? = nil) throws -> ToolResult {
        let endpoints = (names ?? balancers.keys.sorted()).map { adminEndpoint($0).description }.joined(separator: ",")
        return try runTool("tcctl", arguments + ["--lb", endpoints, "--key-file", keyPath, "--health-port", String(healthPort)], stdin: stdin)
    }

    /// Like `tcctl`, but fails the test when the command fails.
    func admin(_ arguments: [String], via names: [String]? = nil) throws {
        let result = try tcctl(arguments, via: names)
        guard result.status == 0 else { throw HarnessError("tcctl \(arguments.joined(separator: " ")) failed: \(result.stderr)") }
    }

    /// One thin-client query, as tc-login makes it: `SERVER <user>` with fail-over.
    func login(_ user: String, via names: [String], timeout: Duration = .seconds(2)) async throws -> Response {
        let client = LineClient(endpoints: names.map(clientEndpoint), timeout: timeout)
        return try await client.send(try Request(verb: BalancerVerb.server, arguments: [user])).response
    }

    /// A signed admin request to one load balancer.
    func adminRequest(_ verb: String, _ arguments: [String] = [], to name: String) async throws -> Response {
        let client = LineClient(endpoints: [adminEndpoint(name)], timeout: .seconds(5), signingKey: key,
                                maximumResponseLength: AdminLimits.maximumLineLength)
        return try await client.send(try Request(verb: verb, arguments: arguments)).response
    }

    func status(of name: String) async throws -> BalancerStatus {
        guard case let .ok(words) = try await adminRequest(AdminVerb.status, to: name), let json = words.first else {
            throw HarnessError("no STATUS from \(name)")
        }
        return try JSONDecoder().decode(BalancerStatus.self, from: Data(json.utf8))
    }

    /// Polls `condition` every 20 ms until it holds or `timeout` passes; the time it took.
    @discardableResult
    func eventually(_ what: String, timeout: Duration = .seconds(10), _ condition: () async throws -> Bool) async throws -> Duration {
        let start = ContinuousClock.now
        while ContinuousClock.now - start < timeout {
            if try await condition() { return .now - start }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw HarnessError("timed out after \(timeout) waiting for \(what)\n\(logs)")
    }

    /// A stand-in for `X -query <server> -terminate`: a script that appends the server it was
    /// given to `record` and exits, as an X session that ends at once would.
    func displayStandIn(recordingTo record: String) throws -> String {
        let path = folder.appendingPathComponent("display-standin.sh").path
        try "#!/bin/sh\necho \"$1\" >> \(record)\n".write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o755)
        return path
    }

    var logs: String {
        (Array(balancers.values) + Array(agents.values)).map { "--- \($0.name)\n\($0.log.suffix(2000))" }.joined(separator: "\n")
    }

    /// A standard cluster: servers s1...sN on 127.x.y.11..., a group `staff` on all of them with
    /// users, and the given load balancers, each on its own address, peered with each other.
    func seed(servers loads: [Double], balancers names: [String] = ["lb1", "lb2"], users: [String] = ["alice", "bob", "carol"]) async throws {
        for (index, name) in names.enumerated() {
            try startBalancer(name, address: address(2 + index), peers: Array(names[..<index]))
        }
        // The first load balancer learns the later ones through their pushes and pulls, and
        // through the directory once the balancer servers are recorded below.
        for (index, load) in loads.enumerated() {
            try startAgent("s\(index + 1)", address: address(11 + index), load: load)
        }
        for (index, _) in loads.enumerated() {
            try admin(["server", "add", "s\(index + 1)", "--address", address(11 + index)], via: [names[0]])
        }
        for (index, name) in names.enumerated() {
            try admin(["server", "add", name, "--address", address(2 + index), "--roles", "balancer"], via: [names[0]])
        }
        try admin(["group", "add", "staff", "--servers", (1...loads.count).map { "s\($0)" }.joined(separator: ",")], via: [names[0]])
        for user in users { try admin(["user", "add", user, "--group", "staff"], via: [names[0]]) }
        // Every load balancer has the directory and has polled every server.
        for name in names {
            try await eventually("\(name) to see every server alive") {
                let status = try await self.status(of: name)
                return status.servers.filter { $0.roles.contains(.session) && $0.alive }.count == loads.count
                    && status.directory.recordCount > 0
            }
        }
    }
}

struct HarnessError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
