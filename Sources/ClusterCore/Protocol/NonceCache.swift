/// The nonces of recently accepted signed requests, to refuse a replay.
///
/// A nonce is kept for `retention` (twice the allowed clock skew) after it was accepted: a
/// request is fresh for at most `2 * skew` of server time (from `ts - skew` to `ts + skew`),
/// so after that a replay is refused as stale anyway. Entries are evicted oldest-first from
/// an insertion-ordered queue, so each insertion costs amortised O(1).
///
/// The cache is bounded. Only requests with a valid MAC and a fresh timestamp are recorded,
/// so filling it takes a holder of the cluster key (or a storm of legitimate admin traffic),
/// never an outsider. When full it refuses new nonces instead of evicting early: evicting
/// would silently reopen a replay window, while refusing fails closed and is answered
/// `ERR unavailable`, on which `LineClient` moves on to the next server.
struct NonceCache: Sendable {
    /// The result of offering a nonce.
    enum Insertion: Equatable, Sendable {
        /// New nonce, now remembered.
        case inserted
        /// Seen within the retention window: a replay.
        case duplicate
        /// The cache holds `capacity` live nonces; the nonce was not recorded.
        case full
    }

    let capacity: Int
    let retentionMilliseconds: Int64
    private var expiries: [String: Int64] = [:]
    private var queue: [(nonce: String, expiry: Int64)] = []
    private var queueHead = 0

    init(capacity: Int, retentionMilliseconds: Int64) {
        precondition(capacity > 0, "capacity must be positive")
        self.capacity = capacity
        self.retentionMilliseconds = retentionMilliseconds
    }

    /// The number of nonces remembered.
    var count: Int { expiries.count }

    /// Records `nonce` as used at `now` (unix milliseconds) unless it is a replay or the cache is full.
    mutating func insert(_ nonce: String, now: Int64) -> Insertion {
        evictExpired(now: now)
        guard expiries[nonce] == nil else { return .duplicate }
        guard expiries.count < capacity else { return .full }
        let expiry = now + retentionMilliseconds
        expiries[nonce] = expiry
        queue.append((nonce, expiry))
        return .inserted
    }

    /// Forgets nonces whose retention ended at or before `now`. If the wall clock steps back,
    /// expiries are no longer sorted; eviction then merely waits for the head, keeping
    /// entries longer than needed, which is the safe direction.
    private mutating func evictExpired(now: Int64) {
        while queueHead < queue.count, queue[queueHead].expiry <= now {
            expiries.removeValue(forKey: queue[queueHead].nonce)
            queueHead += 1
        }
        if queueHead > 1024, queueHead * 2 > queue.count {
            queue.removeFirst(queueHead)
            queueHead = 0
        }
    }
}
