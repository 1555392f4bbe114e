import ClusterCore
import ClusterTestSupport
import Foundation
import Testing

/// Directory replication between real load balancers: push on write, anti-entropy pulls,
/// catch-up after downtime, concurrent writes, kill -9 during a login burst.
extension IntegrationSuite {
@Suite struct ReplicationTests {
    func digest(_ cluster: ClusterHarness, _ name: String) async throws -> String {
        try await cluster.status(of: name).directory.digest
    }

    /// Whether the load balancer's directory has the user: any answer but "unknown user"
    /// (a load balancer that has not polled the servers yet answers "no live server").
    func knows(_ cluster: ClusterHarness, _ balancer: String, user: String) async throws -> Bool {
        do {
            return try await cluster.login(user, via: [balancer]) != .error(.notFound, "unknown user")
        } catch {
            return "\(error)".contains("no live server for this user")
        }
    }

    /// docs/ARCHITECTURE.md: a write reaches every other load balancer by push at once, and
    /// within one anti-entropy interval (here 1 s) plus a peer timeout if the push is lost.
    @Test func aWriteThroughOneLoadBalancerReachesTheOtherWithinTheInterval() async throws {
        let cluster = try ClusterHarness()
        defer { cluster.shutdown() }
        try await cluster.seed(servers: [0.2, 0.3])
        try cluster.admin(["user", "add", "dave", "--group", "staff"], via: ["lb1"])
        let elapsed = try await cluster.eventually("lb2 to know dave", timeout: .seconds(5)) {
            try await self.knows(cluster, "lb2", user: "dave")
        }
        print("a write on lb1 was visible on lb2 after \(elapsed)")
        #expect(elapsed < .seconds(3))  // interval 1 s + peer timeout 2 s
        let first = try await digest(cluster, "lb1")
        #expect(try await digest(cluster, "lb2") == first)
    }

    @Test func aLoadBalancerRestartedAfterMissingWritesCatchesUp() async throws {
        let cluster = try ClusterHarness()
        defer { cluster.shutdown() }
        try await cluster.seed(servers: [0.2, 0.3])
        cluster.kill(balancer: "lb2")
        let users = (1...20).map { "late\($0)" }
        let csv = users.map { "\($0),staff" }.joined(separator: "\n")
        let imported = try cluster.tcctl(["user", "import", "-"], via: ["lb1"], stdin: csv)
        #expect(imported.status == 0, "\(imported.stderr)")
        try cluster.admin(["server", "set", "s2", "--weight", "3"], via: ["lb1"])
        try cluster.startBalancer("lb2", address: cluster.address(3), peers: ["lb1"])
        try await cluster.eventually("lb2 to catch up", timeout: .seconds(10)) {
            try await self.digest(cluster, "lb2") == (try await self.digest(cluster, "lb1"))
        }
        #expect(try await knows(cluster, "lb2", user: "late20"))
    }

    /// A load balancer added with an empty directory and no configured peers is filled by the
    /// load balancers that find it in the directory: anti-entropy pulls, then pushes back what
    /// the peer lacks.
    @Test func aNewLoadBalancerThatKnowsNoPeerIsFilledByThoseThatFindIt() async throws {
        let cluster = try ClusterHarness()
        defer { cluster.shutdown() }
        try await cluster.seed(servers: [0.2, 0.3], balancers: ["lb1"])
        try cluster.startBalancer("lb3", address: cluster.address(4))
        try cluster.admin(["server", "add", "lb3", "--address", cluster.address(4), "--roles", "balancer"], via: ["lb1"])
        try await cluster.eventually("lb3 to hold lb1's directory", timeout: .seconds(10)) {
            try await self.digest(cluster, "lb3") == (try await self.digest(cluster, "lb1"))
        }
        #expect(try await knows(cluster, "lb3", user: "carol"))
    }

    @Test func concurrentWritesToDifferentLoadBalancersConverge() async throws {
        let cluster = try ClusterHarness()
        defer { cluster.shutdown() }
        try await cluster.seed(servers: [0.2, 0.3])
        try cluster.admin(["group", "add", "pupils", "--servers", "s2"], via: ["lb1"])
        try await cluster.eventually("lb2 to know pupils") {
            try cluster.tcctl(["group", "show", "pupils"], via: ["lb2"]).status == 0
        }
        // The same user written at once, differently, on both; and different users on each.
        async let first = Task { try cluster.tcctl(["user", "add", "erin", "--group", "staff"], via: ["lb1"]) }.value
        async let second = Task { try cluster.tcctl(["user", "add", "erin", "--group", "pupils"], via: ["lb2"]) }.value
        async let third = Task { try cluster.tcctl(["user", "add", "frank", "--group", "pupils"], via: ["lb2"]) }.value
        async let fourth = Task { try cluster.tcctl(["setting", "set", "motd", "hello"], via: ["lb1"]) }.value
        let results = try await [first, second, third, fourth]
        #expect(results[2].status == 0 && results[3].status == 0)
        try await cluster.eventually("both replicas to be identical") {
            try await self.digest(cluster, "lb1") == (try await self.digest(cluster, "lb2"))
        }
        let groups = try ["lb1", "lb2"].map { name in try cluster.tcctl(["user", "show", "erin", "--json"], via: [name]).stdout }
        #expect(groups[0] == groups[1])
        #expect(try await knows(cluster, "lb1", user: "frank"))
    }

    /// kill -9 one of two load balancers in the middle of a burst of real tc-login processes:
    /// every one of them still gets a server, from the other load balancer.
    @Test func everyLoginIsAnsweredWhenALoadBalancerDiesDuringABurst() async throws {
        let cluster = try ClusterHarness()
        defer { cluster.shutdown() }
        let users = (1...40).map { "pupil\($0)" }
        try await cluster.seed(servers: [0.2, 0.3, 0.4], users: users)
        let record = cluster.folder.appendingPathComponent("sessions.txt").path
        let display = try cluster.displayStandIn(recordingTo: record)
        let lbList = ["lb1", "lb2"].map { cluster.clientEndpoint($0).description }.joined(separator: ",")
        var logins: [ChildProcess] = []
        for (index, user) in users.enumerated() {
            if index == 15 { cluster.kill(balancer: "lb1") }
            let login = try ChildProcess(
                name: "login-\(user)", executable: Binaries.url("tc-login"),
                arguments: ["--lb", lbList, "--once", "--client-id", "tc-\(index)",
                            "--display-command", "\(display) {server}"],
                logDirectory: cluster.folder)
            login.write("\(user)\n")
            login.closeInput()
            logins.append(login)
        }
        for login in logins {
            let status = login.waitForExit(timeout: .seconds(20))
            if status == nil { login.stop() }
            #expect(status == 0, "\(login.name): \(login.log)")
        }
        let lines = try String(contentsOfFile: record, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == users.count)
        let servers = Set((11...13).map { cluster.address($0) })
        #expect(lines.allSatisfy { servers.contains(String($0.split(separator: " ")[0])) })
    }
}
}
