import Synchronization

/// A token bucket per client address for the unauthenticated `SERVER` verb: a thin client asks
/// once per login, so a steady rate far above that is a script probing usernames or a flood.
///
/// Memory is bounded: at `maximumClients` addresses, full buckets (clients that have been quiet
/// long enough to refill) are dropped first, and if none is full the table is cleared, which
/// at worst lets a flood through for one burst.
final class RateLimiter: Sendable {
    private struct Bucket {
        var tokens: Double
        var updated: ContinuousClock.Instant
    }

    private let rate: Double
    private let burst: Double
    private let maximumClients: Int
    private let buckets = Mutex<[String: Bucket]>([:])

    init(perSecond rate: Int, maximumClients: Int = 65_536) {
        self.rate = Double(rate)
        self.burst = Double(rate * 2)
        self.maximumClients = maximumClients
    }

    /// Takes one token for `client`; false when its bucket is empty.
    func allow(_ client: String, at now: ContinuousClock.Instant) -> Bool {
        buckets.withLock { table in
            var bucket = table[client] ?? Bucket(tokens: burst, updated: now)
            let elapsed = now - bucket.updated
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            bucket.tokens = min(burst, bucket.tokens + seconds * rate)
            bucket.updated = now
            let allowed = bucket.tokens >= 1
            if allowed { bucket.tokens -= 1 }
            if table[client] == nil, table.count >= maximumClients { prune(&table, now: now) }
            table[client] = bucket
            return allowed
        }
    }

    private func prune(_ table: inout [String: Bucket], now: ContinuousClock.Instant) {
        let refill = burst / rate
        table = table.filter { _, bucket in
            let idle = now - bucket.updated
            return Double(idle.components.seconds) < refill
        }
        if table.count >= maximumClients { table.removeAll(keepingCapacity: true) }
    }
}
