import ClusterCore
import Testing
@testable import LoadBalancer

@Suite struct HealthBoardTests {
    let report = LoadReport(node: "s1", version: "t", state: .active, simulated: true, load1: 0.1, load5: 0.1, load15: 0.1, cpus: 4,
                            pressure: .init(), memoryAvailableBytes: 1, memoryTotalBytes: 2, sessions: 0, users: [], sampledAt: 0)

    @Test func aFailedPollMarksTheServerDeadAtOnceAndBacksOffUpToTheMaximum() {
        let board = HealthBoard()
        let start = ContinuousClock.now
        board.recordSuccess("s1", report: report, at: start, interval: .milliseconds(100))
        #expect(board.observation(of: "s1")?.alive == true)
        #expect(!board.isDue("s1", at: start + .milliseconds(99)))
        #expect(board.isDue("s1", at: start + .milliseconds(100)))
        var now = start + .milliseconds(100)
        var waits: [Duration] = []
        for _ in 0..<6 {
            board.recordFailure("s1", error: "refused", at: now, interval: .milliseconds(100), maximumBackoff: .milliseconds(1000))
            #expect(board.observation(of: "s1")?.alive == false)
            let next = board.observation(of: "s1")?.nextAttempt ?? now
            waits.append(next - now)
            now = next
        }
        #expect(waits == [.milliseconds(100), .milliseconds(200), .milliseconds(400), .milliseconds(800), .milliseconds(1000), .milliseconds(1000)])
        board.recordSuccess("s1", report: report, at: now, interval: .milliseconds(100))
        #expect(board.observation(of: "s1")?.failures == 0)
    }

    @Test func serversLeavingTheDirectoryAreForgotten() {
        let board = HealthBoard()
        board.recordSuccess("s1", report: report, at: .now, interval: .seconds(1))
        board.recordSuccess("s2", report: report, at: .now, interval: .seconds(1))
        board.retain(only: ["s2"])
        #expect(board.observation(of: "s1") == nil)
        #expect(board.observation(of: "s2") != nil)
    }

    @Test func recentAssignmentsExpireAfterTheWindow() {
        let recent = RecentAssignments(window: .seconds(10))
        let start = ContinuousClock.now
        recent.record("s1", at: start)
        recent.record("s1", at: start + .seconds(5))
        #expect(recent.count("s1", at: start + .seconds(6)) == 2)
        #expect(recent.count("s1", at: start + .seconds(11)) == 1)
        #expect(recent.count("s1", at: start + .seconds(16)) == 0)
        #expect(recent.count("s2", at: start) == 0)
    }

    @Test func theRateLimiterAllowsABurstThenTheRatePerClient() {
        let limiter = RateLimiter(perSecond: 5)
        let start = ContinuousClock.now
        let burst = (0..<12).map { _ in limiter.allow("10.0.0.1", at: start) }
        #expect(burst.filter { $0 }.count == 10)
        #expect(limiter.allow("10.0.0.2", at: start))
        #expect(!limiter.allow("10.0.0.1", at: start + .milliseconds(100)))
        #expect(limiter.allow("10.0.0.1", at: start + .milliseconds(250)))
    }

    @Test func theRateLimiterTableStaysBounded() {
        let limiter = RateLimiter(perSecond: 1, maximumClients: 100)
        let start = ContinuousClock.now
        for index in 0..<1000 { _ = limiter.allow("client\(index)", at: start) }
        // A fresh client is still served: the table was pruned rather than grown or refused.
        #expect(limiter.allow("newcomer", at: start))
    }
}
