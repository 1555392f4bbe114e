import ClusterCore
import ClusterTestSupport
import Foundation
import Testing

/// tcctl against a live cluster: directory commands through any load balancer, status across
/// them, and the thin-client loop with the real load balancers.
extension IntegrationSuite {
@Suite struct TCCtlClusterTests {
    @Test func directoryCommandsWorkThroughAnyReachableLoadBalancer() async throws {
        let cluster = try ClusterHarness()
        defer { cluster.shutdown() }
        try await cluster.seed(servers: [0.2, 0.5])
        cluster.kill(balancer: "lb1")
        // lb1 is first in the list and dead: tcctl falls over to lb2.
        let added = try cluster.tcctl(["user", "add", "gina", "--group", "staff"], via: ["lb1", "lb2"])
        #expect(added.status == 0, "\(added.stderr)")
        let listed = try cluster.tcctl(["user", "list", "--json"], via: ["lb1", "lb2"])
        let users = try JSONDecoder().decode([DirectoryUser].self, from: Data(listed.stdout.utf8))
        #expect(users.map(\.name) == ["alice", "bob", "carol", "gina"])
        let refused = try cluster.tcctl(["user", "add", "gina", "--group", "staff"], via: ["lb2"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("user gina already exists in group staff"))
        let wrongKey = try runTool("tcctl", ["user", "list", "--lb", cluster.adminEndpoint("lb2").description,
                                             "--key-file", try otherKey(in: cluster)])
        #expect(wrongKey.status == 78)
        #expect(wrongKey.stderr.contains("authentication refused"))
    }

    @Test func statusShowsEveryLoadBalancerAndServerAndFlagsAnUnreachableOne() async throws {
        let cluster = try ClusterHarness()
        defer { cluster.shutdown() }
        try await cluster.seed(servers: [0.2, 1.4])
        // Only lb1 is named: lb2 is found through the directory.
        try await cluster.eventually("status to report identical replicas") {
            try cluster.tcctl(["status"], via: ["lb1"]).status == 0
        }
        let status = try cluster.tcctl(["status"], via: ["lb1"])
        #expect(status.stdout.contains("replicas: identical"))
        #expect(status.stdout.contains(cluster.adminEndpoint("lb2").description))
        #expect(status.stdout.contains("1.40/4 sim"))
        cluster.kill(balancer: "lb2")
        let degraded = try cluster.tcctl(["status", "--json"], via: ["lb1"])
        #expect(degraded.status == 1)
        #expect(degraded.stdout.contains("\"reachable\" : false"))
    }

    @Test func tcLoginPromptsAsksTheLoadBalancersAndRunsTheDisplayCommand() async throws {
        let cluster = try ClusterHarness()
        defer { cluster.shutdown() }
        try await cluster.seed(servers: [0.9, 0.1])
        let record = cluster.folder.appendingPathComponent("sessions.txt").path
        let display = try cluster.displayStandIn(recordingTo: record)
        // lb1 is down: tc-login must fall over to lb2.
        cluster.kill(balancer: "lb1")
        let lbList = ["lb1", "lb2"].map { cluster.clientEndpoint($0).description }.joined(separator: ",")
        let login = try runTool("tc-login", ["--lb", lbList, "--display-command", "\(display) {server}"],
                                stdin: "mallory\nalice\n\nbob\n")
        #expect(login.status == 0, "\(login.stderr)")
        #expect(login.stdout.contains("Unknown user \"mallory\""))
        let sessions = try String(contentsOfFile: record, encoding: .utf8)
        #expect(sessions == "\(cluster.address(12))\n\(cluster.address(12))\n")
    }

    /// `tcctl lb start|stop NODE` goes to the node's health agent, which runs its service
    /// command (systemctl in production; a recording stand-in here).
    @Test func loadBalancersAreStartedAndStoppedThroughTheNodesHealthAgent() async throws {
        let cluster = try ClusterHarness()
        defer { cluster.shutdown() }
        try await cluster.seed(servers: [0.2], balancers: ["lb1"])
        let record = cluster.folder.appendingPathComponent("systemctl.txt").path
        let standIn = cluster.folder.appendingPathComponent("systemctl.sh").path
        try "#!/bin/sh\necho \"$@\" >> \(record)\n".write(toFile: standIn, atomically: true, encoding: .utf8)
        chmod(standIn, 0o755)
        cluster.kill(agent: "s1")
        try cluster.startAgent("s1", address: cluster.address(11), extra: ["--service-command", standIn])
        try cluster.admin(["lb", "stop", "s1"])
        try cluster.admin(["lb", "start", "s1"])
        #expect(try String(contentsOfFile: record, encoding: .utf8) == "stop tc-lbd\nstart tc-lbd\n")
        let refused = try cluster.tcctl(["lb", "start", "s1", "--service", "ssh"])
        #expect(refused.status == 1)
        #expect(try String(contentsOfFile: record, encoding: .utf8) == "stop tc-lbd\nstart tc-lbd\n")
    }

    func otherKey(in cluster: ClusterHarness) throws -> String {
        let path = cluster.folder.appendingPathComponent("other.key").path
        try ClusterKey.generate().write(to: path)
        return path
    }
}
}
