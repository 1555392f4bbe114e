import ClusterCore
import Testing
@testable import LoadBalancer

@Suite struct SelectorTests {
    func report(load: Double = 0.2, cpus: Int = 4, users: [String] = [], state: LoadReport.State = .active,
                pressure: LoadReport.Pressure = .init(), available: UInt64 = 6 << 30) -> LoadReport {
        LoadReport(node: "n", version: "t", state: state, simulated: true, load1: load, load5: load, load15: load, cpus: cpus,
                   pressure: pressure, memoryAvailableBytes: available, memoryTotalBytes: 8 << 30, sessions: users.count,
                   users: users, sampledAt: 0)
    }

    func candidate(_ name: String, alive: Bool = true, report: LoadReport?, state: ServerState = .active, weight: Int = 1,
                   recent: Int = 0, roles: [ServerRole] = [.session]) -> Candidate {
        Candidate(server: Server(name: name, address: "192.0.2.\(name.count)", roles: roles, weight: weight, state: state),
                  alive: alive, report: report, recentAssignments: recent)
    }

    func chosen(_ decision: Decision) -> String? {
        if case let .server(server, _, _) = decision { return server.name }
        return nil
    }

    @Test func theLeastLoadedLiveServerIsChosen() {
        let decision = Selector.choose(username: "alice", groupServers: [
            candidate("s1", report: report(load: 3.0)), candidate("s2", report: report(load: 0.5)), candidate("s3", report: report(load: 1.0)),
        ])
        #expect(chosen(decision) == "s2")
    }

    @Test func capacityWeightDividesTheScore() {
        let decision = Selector.choose(username: "alice", groupServers: [
            candidate("small", report: report(load: 2.0)), candidate("big", report: report(load: 3.0), weight: 2),
        ])
        #expect(chosen(decision) == "big")
    }

    @Test func pressureAndMemoryCount() {
        let stalled = report(load: 0.1, pressure: .init(cpu: 80, memory: 10, io: nil))
        let swapping = report(load: 0.1, available: 512 << 20)
        #expect(chosen(Selector.choose(username: "a", groupServers: [candidate("s1", report: stalled), candidate("s2", report: report(load: 1.0))])) == "s2")
        #expect(chosen(Selector.choose(username: "a", groupServers: [candidate("s1", report: swapping), candidate("s2", report: report(load: 0.5))])) == "s2")
    }

    @Test func aServerHoldingTheUsersSessionIsChosenEvenWhenBusierOrDraining() {
        let decision = Selector.choose(username: "alice", groupServers: [
            candidate("s1", report: report(load: 0.1)), candidate("s2", report: report(load: 3.5, users: ["bob", "alice"]), state: .draining),
        ])
        #expect(decision == .server(Server(name: "s2", address: "192.0.2.2", state: .draining), reason: .reconnected,
                                    score: LoadScore.score(report(load: 3.5, users: ["bob", "alice"]), recentAssignments: 0, weight: 1)))
    }

    @Test func aDeadServerHoldingTheSessionIsNotReconnectedTo() {
        let decision = Selector.choose(username: "alice", groupServers: [
            candidate("s1", report: report(load: 2.0)), candidate("s2", alive: false, report: report(load: 0.1, users: ["alice"])),
        ])
        #expect(chosen(decision) == "s1")
    }

    @Test func drainingDisabledAndAgentDrainedServersTakeNoNewSessions() {
        let decision = Selector.choose(username: "alice", groupServers: [
            candidate("s1", report: report(load: 0.1), state: .draining),
            candidate("s2", report: report(load: 0.1), state: .disabled),
            candidate("s3", report: report(load: 0.1, state: .draining)),
            candidate("s4", report: report(load: 3.9)),
        ])
        #expect(chosen(decision) == "s4")
    }

    @Test func unknownUserAndWholeGroupDownAreDistinct() {
        #expect(Selector.choose(username: "nobody", groupServers: nil) == .unknownUser)
        #expect(Selector.choose(username: "alice", groupServers: []) == .noLiveServer)
        #expect(Selector.choose(username: "alice", groupServers: [candidate("s1", alive: false, report: nil),
                                                                  candidate("s2", alive: false, report: report())]) == .noLiveServer)
        #expect(Selector.choose(username: "alice", groupServers: [candidate("s1", report: report(), roles: [.boot])]) == .noLiveServer)
    }

    @Test func recentAssignmentsSpreadABurstAcrossEqualServers() {
        var recent = ["s1": 0, "s2": 0, "s3": 0]
        var placed: [String: Int] = [:]
        for index in 0..<30 {
            let candidates = recent.keys.sorted().map { candidate($0, report: report(load: 0.4), recent: recent[$0] ?? 0) }
            let name = chosen(Selector.choose(username: "user\(index)", groupServers: candidates)) ?? "?"
            recent[name, default: 0] += 1
            placed[name, default: 0] += 1
        }
        #expect(placed == ["s1": 10, "s2": 10, "s3": 10])
    }

    @Test func tiesAreBrokenTheSameWayEveryTimeButNotAlwaysForTheSameServer() {
        let servers = ["s1", "s2", "s3", "s4"].map { candidate($0, report: report(load: 0.4)) }
        let first = (0..<40).map { chosen(Selector.choose(username: "user\($0)", groupServers: servers)) }
        let second = (0..<40).map { chosen(Selector.choose(username: "user\($0)", groupServers: servers.reversed())) }
        #expect(first == second)
        #expect(Set(first.compactMap { $0 }).count > 1)
    }
}
