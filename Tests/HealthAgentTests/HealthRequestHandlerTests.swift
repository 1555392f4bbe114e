import ClusterCore
import Foundation
import Testing

@testable import HealthAgent

/// Each verb, called on the handler directly, as a plain and as an authenticated request.
@Suite struct HealthRequestHandlerTests {
    static let plain = RequestContext(isAuthenticated: false, peerAddress: nil)
    static let signed = RequestContext(isAuthenticated: true, peerAddress: nil)
    static let sample = LoadSample(
        load1: 0.5, load5: 0.4, load15: 0.3, cpus: 4, pressure: LoadReport.Pressure(cpu: 1.5),
        memoryAvailableBytes: 1 << 30, memoryTotalBytes: 2 << 30, sessions: 2, users: ["alice", "bob"], sampledAt: 1_700_000_000_000
    )
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    /// A handler over a fresh state saved in a temporary directory.
    struct Fixture {
        let directory: TemporaryDirectory
        let state: AgentState
        let handler: HealthRequestHandler

        init(simulation: SimulatedLoad? = nil, serviceCommand: String? = nil, hasClusterKey: Bool = true,
             serviceTimeout: Duration = .seconds(30)) throws {
            directory = try TemporaryDirectory()
            state = AgentState(
                node: "srv1", sample: simulation.map { LoadSample(simulating: $0, at: HealthRequestHandlerTests.now) } ?? HealthRequestHandlerTests.sample,
                availability: .active, source: simulation.map { .simulated($0) } ?? .kernel,
                store: DrainStateStore(stateDirectory: directory.file("state"))
            )
            handler = HealthRequestHandler(
                state: state, services: ["tc-lbd", "nfs-server"],
                runner: ServiceCommandRunner(command: serviceCommand ?? "/bin/true", timeout: serviceTimeout, terminationGrace: .milliseconds(200)),
                hasClusterKey: hasClusterKey, now: { HealthRequestHandlerTests.now }
            )
        }

        func send(_ line: String, _ context: RequestContext = HealthRequestHandlerTests.plain) async throws -> Response {
            await handler.handle(try Request(parsing: line), context: context)
        }

        /// `HEALTH` as a load balancer sends it, signed (with users) unless `context` says otherwise.
        func report(_ context: RequestContext = HealthRequestHandlerTests.signed) async throws -> LoadReport {
            guard case .ok(let values) = try await send("HEALTH", context), values.count == 1 else { throw TestFailure("HEALTH did not answer OK <json>") }
            return try LoadReport(parsing: values[0])
        }

        var savedState: String? {
            try? String(contentsOfFile: directory.file("state/health-state"), encoding: .utf8)
        }
    }

    @Test func healthAnswersTheLatestSampleAndNamesUsersOnlyToASignedPoll() async throws {
        let fixture = try Fixture()
        defer { fixture.directory.remove() }
        let report = try await fixture.report()
        #expect(report == Self.sample.report(node: "srv1", state: .active, simulated: false))
        var anonymous = Self.sample.report(node: "srv1", state: .active, simulated: false)
        anonymous.users = []
        #expect(try await fixture.report(Self.plain) == anonymous)
        #expect(report.version == ClusterCoreVersion.string)
        await fixture.state.record(LoadSample(simulating: SimulatedLoad(load1: 9), at: Self.now))
        #expect(try await fixture.report().load1 == 9)
    }

    @Test func pingNamesTheAgentAndVersion() async throws {
        let fixture = try Fixture()
        defer { fixture.directory.remove() }
        #expect(try await fixture.send("PING") == .ok(["tc-healthd", ClusterCoreVersion.string]))
    }

    @Test(arguments: ["HEALTH now", "PING x", "DRAIN x", "UNDRAIN x", "SIMULATE", "SIMULATE {} {}", "SERVICE start"])
    func wrongArgumentCountsAreSyntaxErrors(line: String) async throws {
        let fixture = try Fixture()
        defer { fixture.directory.remove() }
        guard case .error(.syntax, _) = try await fixture.send(line, Self.signed) else {
            Issue.record("\(line) was not refused as syntax")
            return
        }
    }

    @Test func unknownVerbsAreRefused() async throws {
        let fixture = try Fixture()
        defer { fixture.directory.remove() }
        guard case .error(.unknownVerb, _) = try await fixture.send("REBOOT", Self.signed) else {
            Issue.record("REBOOT was served")
            return
        }
    }

    @Test(arguments: ["DRAIN", "UNDRAIN", "SERVICE stop tc-lbd", "SIMULATE {}"])
    func adminVerbsNeedASignatureAndChangeNothingWithout(line: String) async throws {
        let fixture = try Fixture(simulation: SimulatedLoad(), serviceCommand: "/nonexistent")
        defer { fixture.directory.remove() }
        let verb = String(line.prefix { $0 != " " })
        #expect(try await fixture.send(line) == AuthenticationFailure.unsigned(verb: verb).response)
        #expect(try await fixture.report().state == .active)
        #expect(fixture.savedState == nil)
    }

    @Test func withoutAClusterKeyAdminVerbsAreRefusedAsNoKey() async throws {
        let fixture = try Fixture(hasClusterKey: false)
        defer { fixture.directory.remove() }
        #expect(try await fixture.send("DRAIN") == AuthenticationFailure.noKey.response)
        #expect(try await fixture.report().state == .active)
    }

    @Test func drainAndUndrainChangeTheReportAndAreSaved() async throws {
        let fixture = try Fixture()
        defer { fixture.directory.remove() }
        #expect(try await fixture.send("DRAIN", Self.signed) == .ok(["draining"]))
        #expect(try await fixture.report().state == .draining)
        #expect(fixture.savedState == "draining\n")
        #expect(try DrainStateStore(stateDirectory: fixture.directory.file("state")).load() == .draining)
        // Idempotent: a replay through fail-over changes nothing.
        #expect(try await fixture.send("DRAIN", Self.signed) == .ok(["draining"]))
        #expect(try await fixture.send("UNDRAIN", Self.signed) == .ok(["active"]))
        #expect(try await fixture.report().state == .active)
        #expect(fixture.savedState == "active\n")
    }

    @Test func aDrainThatCannotBeSavedStillDrainsAndSaysSo() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("file", "")
        let state = AgentState(node: "srv1", sample: Self.sample, availability: .active, source: .kernel,
                               store: DrainStateStore(stateDirectory: directory.file("file/below-a-file")))
        let handler = HealthRequestHandler(state: state, services: [], runner: ServiceCommandRunner(command: "/bin/true"), hasClusterKey: true)
        let response = await handler.handle(try Request(verb: "DRAIN"), context: Self.signed)
        guard case .error(.internal, let message) = response else {
            Issue.record("expected ERR internal, got \(response)")
            return
        }
        #expect(message.hasPrefix("draining now, but a restart would forget it"))
        #expect(await state.availability == .draining)
    }

    @Test func aSavedStateThatIsNotAWordIsReported() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("health-state", "maybe\n")
        let store = DrainStateStore(stateDirectory: directory.path + "/")
        #expect(store.path == directory.file("health-state"))
        #expect(throws: DrainStateError.malformed(path: directory.file("health-state"), found: "maybe")) { try store.load() }
        #expect(try DrainStateStore(stateDirectory: directory.file("none")).load() == .active)
    }

    @Test func simulateChangesOnlyTheFieldsGivenAndTheNextReportShowsIt() async throws {
        let fixture = try Fixture(simulation: SimulatedLoad(load1: 0.4, cpus: 4, users: ["alice"]))
        defer { fixture.directory.remove() }
        let before = try await fixture.report()
        #expect(before.simulated)
        #expect(before.sessions == 1)
        #expect(try await fixture.send(#"SIMULATE {"load1":3.5,"users":["bob","carol","bob"]}"#, Self.signed) == .ok([]))
        let after = try await fixture.report()
        #expect(after.load1 == 3.5)
        #expect(after.load15 == 3.5)
        #expect(after.cpus == 4)
        #expect(after.sessions == 3)
        #expect(after.users == ["bob", "carol"])
        #expect(after.pressure == LoadReport.Pressure())
        #expect(after.sampledAt == 1_800_000_000_000)
    }

    @Test(arguments: [
        #"SIMULATE [1]"#, #"SIMULATE {"laod1":3}"#, #"SIMULATE {"load1":"high"}"#, #"SIMULATE {"cpus":0}"#,
        #"SIMULATE {"memoryAvailableBytes":99999999999999}"#, #"SIMULATE {"users":["Not%20A%20Name"]}"#, #"SIMULATE {"users":["root;rm"]}"#,
    ])
    func badSimulationsAreRefusedAndChangeNothing(line: String) async throws {
        let fixture = try Fixture(simulation: SimulatedLoad())
        defer { fixture.directory.remove() }
        let before = try await fixture.report()
        guard case .error(.invalid, _) = try await fixture.send(line, Self.signed) else {
            Issue.record("\(line) was accepted")
            return
        }
        #expect(try await fixture.report() == before)
    }

    @Test func simulateIsRefusedByAnAgentReadingTheKernel() async throws {
        let fixture = try Fixture()
        defer { fixture.directory.remove() }
        #expect(try await fixture.send(#"SIMULATE {"load1":1}"#, Self.signed)
            == .error(.invalid, SimulationError.notSimulating.description))
        #expect(try await fixture.report().simulated == false)
    }
}
