import ClusterCore
import Synchronization

/// The health poller's latest view of every server, read by every decision without waiting.
final class HealthBoard: Sendable {
    struct Observation: Sendable {
        var alive = false
        var report: LoadReport?
        var failures = 0
        var lastError: String?
        /// When the server may be polled next (back-off after failures).
        var nextAttempt: ContinuousClock.Instant
        var lastSuccess: ContinuousClock.Instant?
    }

    private let observations = Mutex<[String: Observation]>([:])

    func observation(of server: String) -> Observation? {
        observations.withLock { $0[server] }
    }

    func snapshot() -> [String: Observation] {
        observations.withLock { $0 }
    }

    /// Whether `server` is due for a poll at `now`. A server never seen is due at once.
    func isDue(_ server: String, at now: ContinuousClock.Instant) -> Bool {
        observations.withLock { ($0[server]?.nextAttempt ?? now) <= now }
    }

    func recordSuccess(_ server: String, report: LoadReport, at now: ContinuousClock.Instant, interval: Duration) {
        observations.withLock {
            $0[server] = Observation(alive: true, report: report, failures: 0, lastError: nil, nextAttempt: now + interval, lastSuccess: now)
        }
    }

    /// A failed poll marks the server dead at once (decisions stop choosing it immediately) and
    /// schedules the next try after a doubling back-off.
    func recordFailure(_ server: String, error: String, at now: ContinuousClock.Instant, interval: Duration, maximumBackoff: Duration) {
        observations.withLock { table in
            var entry = table[server] ?? Observation(nextAttempt: now)
            entry.alive = false
            entry.failures += 1
            entry.lastError = error
            let exponent = min(entry.failures - 1, 16)
            entry.nextAttempt = now + min(interval * (1 << exponent), maximumBackoff)
            table[server] = entry
        }
    }

    /// Forgets servers that left the directory.
    func retain(only servers: Set<String>) {
        observations.withLock { table in table = table.filter { servers.contains($0.key) } }
    }
}

/// Sessions this load balancer assigned recently, per server: counted into the score until the
/// server's own report can show them, so a burst of logins spreads instead of piling onto the
/// server that was least loaded a second ago.
final class RecentAssignments: Sendable {
    private let window: Duration
    private let assignments = Mutex<[String: [ContinuousClock.Instant]]>([:])

    init(window: Duration) { self.window = window }

    func record(_ server: String, at now: ContinuousClock.Instant) {
        assignments.withLock { table in
            var times = table[server, default: []].filter { now - $0 < window }
            times.append(now)
            table[server] = times
        }
    }

    func count(_ server: String, at now: ContinuousClock.Instant) -> Int {
        assignments.withLock { table in table[server]?.reduce(0) { now - $1 < window ? $0 + 1 : $0 } ?? 0 }
    }
}
