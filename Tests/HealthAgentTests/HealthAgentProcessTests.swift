import ClusterCore
import Foundation
import Testing

@testable import HealthAgent

/// The real tc-healthd binary on 127.0.0.1, queried with ClusterCore's LineClient.
@Suite struct HealthAgentProcessTests {
    /// A directory with a node configuration, a cluster key and a utmp with one live session.
    struct Node {
        let directory: TemporaryDirectory
        let key: ClusterKey
        let port: UInt16

        init() throws {
            directory = try TemporaryDirectory()
            key = ClusterKey.generate()
            try key.write(to: directory.file("cluster.key"))
            port = try freeLocalPort()
            try directory.write("node.yaml", """
                node:
                  name: test-agent
                  stateDirectory: \(directory.file("state"))
                health:
                  sampleIntervalMilliseconds: 100
                """)
            // PID 0 is never checked for liveness, so the session counts whatever runs the test.
            try directory.write("utmp", bytes: utmpBytes([UtmpRecord(type: 7, pid: 0, line: ":7", user: "alice")]))
        }

        func arguments(_ extra: [String] = []) -> [String] {
            ["--config", directory.file("node.yaml"), "--listen", "127.0.0.1:\(port)",
             "--key-file", directory.file("cluster.key"), "--utmp", directory.file("utmp")] + extra
        }

        func client(signed: Bool) -> LineClient {
            LineClient(endpoints: [Endpoint(host: "127.0.0.1", port: port)], timeout: .seconds(5), signingKey: signed ? key : nil)
        }

        func send(_ line: String, signed: Bool = false) async throws -> Response {
            try await client(signed: signed).send(Request(parsing: line)).response
        }

        /// A signed poll, as the load balancers make: it includes who holds sessions.
        func health(signed: Bool = true) async throws -> LoadReport {
            guard case .ok(let values) = try await send("HEALTH", signed: signed), values.count == 1 else { throw TestFailure("HEALTH did not answer OK <json>") }
            return try LoadReport(parsing: values[0])
        }
    }

    @Test func theAgentReportsKernelLoadTakesSignedDrainAndStopsCleanlyOnSIGTERM() async throws {
        let node = try Node()
        defer { node.directory.remove() }
        let agent = try AgentProcess(arguments: node.arguments())
        defer { agent.kill() }

        let line = try await agent.waitUntilListening()
        #expect(line == "tc-healthd test-agent listening on 127.0.0.1:\(node.port) (kernel load)")

        let report = try await node.health()
        #expect(report.node == "test-agent")
        #expect(!report.simulated)
        #expect(report.state == .active)
        #expect(report.cpus >= 1)
        #expect(report.memoryTotalBytes > 0)
        #expect(report.sessions == 1)
        #expect(report.users == ["alice"])
        // Unsigned, the agent gives the figures and the count, not who is logged in.
        let anonymous = try await node.health(signed: false)
        #expect(anonymous.sessions == 1)
        #expect(anonymous.users.isEmpty)
        #expect(try await node.send("PING") == .ok(["tc-healthd", ClusterCoreVersion.string]))

        // Unsigned: refused by the authenticator, and nothing changes.
        #expect(try await node.send("DRAIN") == AuthenticationFailure.unsigned(verb: "DRAIN").response)
        #expect(try await node.health().state == .active)
        #expect(!FileManager.default.fileExists(atPath: node.directory.file("state/health-state")))

        #expect(try await node.send("DRAIN", signed: true) == .ok(["draining"]))
        #expect(try await node.health().state == .draining)
        #expect(try String(contentsOfFile: node.directory.file("state/health-state"), encoding: .utf8) == "draining\n")
        guard case .error(.invalid, _) = try await node.send(#"SIMULATE {"load1":1}"#, signed: true) else {
            Issue.record("a kernel agent accepted SIMULATE")
            return
        }

        agent.terminate()
        #expect(try await agent.waitForExit() == 0)
        #expect(try await agent.waitForStandardError(containing: "line server stopped"))

        // A restart keeps the server drained.
        let restarted = try AgentProcess(arguments: node.arguments())
        defer { restarted.kill() }
        _ = try await restarted.waitUntilListening()
        #expect(try await node.health().state == .draining)
        #expect(try await node.send("UNDRAIN", signed: true) == .ok(["active"]))
        restarted.terminate()
        #expect(try await restarted.waitForExit() == 0)
    }

    @Test func aSimulatingAgentSaysSoAndTakesSignedSimulate() async throws {
        let node = try Node()
        defer { node.directory.remove() }
        let agent = try AgentProcess(arguments: node.arguments(["--simulate", "--simulate-load", "0.4", "--simulate-users", "alice,bob", "--simulate-cpus", "4"]))
        defer { agent.kill() }

        #expect(try await agent.waitUntilListening().hasSuffix("(SIMULATED load)"))
        #expect(try await agent.waitForStandardError(containing: "SIMULATING"))
        let report = try await node.health()
        #expect(report.simulated)
        #expect(report.load1 == 0.4)
        #expect(report.cpus == 4)
        #expect(report.users == ["alice", "bob"])

        #expect(try await node.send(#"SIMULATE {"load1":3.5}"#) == AuthenticationFailure.unsigned(verb: "SIMULATE").response)
        #expect(try await node.send(#"SIMULATE {"load1":3.5}"#, signed: true) == .ok([]))
        #expect(try await node.health().load1 == 3.5)

        agent.terminate()
        #expect(try await agent.waitForExit() == 0)
    }

    @Test func withoutAKeyFileTheAgentStartsAndRefusesAdminVerbs() async throws {
        let node = try Node()
        defer { node.directory.remove() }
        let agent = try AgentProcess(arguments: node.arguments(["--key-file", node.directory.file("missing.key")]))
        defer { agent.kill() }
        _ = try await agent.waitUntilListening()
        #expect(try await agent.waitForStandardError(containing: "no cluster key"))
        #expect(try await node.send("DRAIN") == AuthenticationFailure.noKey.response)
        #expect(try await node.send("DRAIN", signed: true) == AuthenticationFailure.noKey.response)
        #expect(try await node.health(signed: false).state == .active)
        agent.terminate()
        #expect(try await agent.waitForExit() == 0)
    }

    @Test func aBadConfigurationExitsWithStatus78AndNamesTheKey() async throws {
        let node = try Node()
        defer { node.directory.remove() }
        try node.directory.write("node.yaml", "health:\n  sampleIntervalMilliseconds: 5\n")
        let agent = try AgentProcess(arguments: node.arguments())
        defer { agent.kill() }
        #expect(try await agent.waitForExit() == 78)
        #expect(try await agent.waitForStandardError(containing: "health.sampleIntervalMilliseconds"))
    }
}
