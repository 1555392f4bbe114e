import Foundation

/// The server side of request authentication: decides whether a raw request line is a plain
/// request, an authenticated one, or must be refused.
///
/// A signed line is checked in this order, so that only a key holder learns anything beyond
/// "bad-mac": header syntax, MAC (constant time), timestamp within `allowedSkew` of the
/// server clock in either direction, then the nonce against the replay cache. The inner
/// request is parsed after the MAC check; the nonce is recorded only when everything passed.
/// An unsigned line is parsed and refused as `unsigned` if `requiresAuthentication` says so
/// for its verb. Which verbs need a signature is the daemon's decision, passed in.
///
/// Safe to share between connections: the replay cache is the actor's state; parsing and MAC
/// checks run outside its isolation, so plain requests never wait for it.
public actor RequestAuthenticator {
    /// How far a request timestamp may be from the server clock.
    public nonisolated let allowedSkew: Duration
    private nonisolated let key: ClusterKey
    private nonisolated let allowedSkewMilliseconds: Int64
    private nonisolated let clock: @Sendable () -> Date
    private nonisolated let requiresAuthentication: @Sendable (String) -> Bool
    private var nonces: NonceCache

    /// - Parameters:
    ///   - key: the cluster key.
    ///   - allowedSkew: the largest accepted difference between a request's timestamp and the
    ///     server clock; nonces are remembered for twice this long.
    ///   - replayCacheCapacity: the most nonces remembered at once. 65,536 over a 60 s window
    ///     is over 1,000 signed requests per second, far above admin traffic.
    ///   - clock: the current time; injectable for tests.
    ///   - requiresAuthentication: whether an unsigned request with this verb must be refused.
    public init(
        key: ClusterKey,
        allowedSkew: Duration = .seconds(30),
        replayCacheCapacity: Int = 65_536,
        clock: @escaping @Sendable () -> Date = { Date() },
        requiresAuthentication: @escaping @Sendable (_ verb: String) -> Bool
    ) {
        let skew = allowedSkew.components
        let skewMilliseconds = max(0, skew.seconds * 1000 + skew.attoseconds / 1_000_000_000_000_000)
        self.key = key
        self.allowedSkew = allowedSkew
        self.allowedSkewMilliseconds = skewMilliseconds
        self.clock = clock
        self.requiresAuthentication = requiresAuthentication
        self.nonces = NonceCache(capacity: replayCacheCapacity, retentionMilliseconds: 2 * skewMilliseconds)
    }

    /// Requires a signature for exactly the verbs in `protectedVerbs`.
    public init(
        key: ClusterKey,
        protectedVerbs: Set<String>,
        allowedSkew: Duration = .seconds(30),
        replayCacheCapacity: Int = 65_536,
        clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.init(
            key: key, allowedSkew: allowedSkew, replayCacheCapacity: replayCacheCapacity, clock: clock,
            requiresAuthentication: { protectedVerbs.contains($0) }
        )
    }

    /// Classifies one request line (without terminator).
    ///
    /// - Throws: a `ProtocolError` when the plain request, or the inner request of a signed
    ///   line with a valid MAC, is not well formed (answered `ERR syntax`).
    public nonisolated func authenticate(_ line: String) async throws(ProtocolError) -> AuthenticationOutcome {
        guard SignedRequestLine.isSigned(line) else {
            let request = try Request(parsing: line)
            return requiresAuthentication(request.verb) ? .rejected(.unsigned(verb: request.verb)) : .plain(request)
        }
        let signed: SignedRequestLine
        do throws(AuthenticationFailure) {
            signed = try SignedRequestLine(parsing: line)
        } catch {
            return .rejected(error)
        }
        guard signed.isAuthentic(under: key) else { return .rejected(.badMAC) }
        let now = SignedRequestLine.unixMilliseconds(clock())
        let offset = signed.timestamp - now
        guard abs(offset) <= allowedSkewMilliseconds else {
            return .rejected(.stale(offsetMilliseconds: offset, allowedMilliseconds: allowedSkewMilliseconds))
        }
        let request = try Request(parsing: signed.requestLine)
        switch await record(nonce: signed.nonce, now: now) {
        case .inserted: return .authenticated(request)
        case .duplicate: return .rejected(.replayed)
        case .full: return .rejected(.replayCacheFull)
        }
    }

    /// The number of nonces currently remembered; for tests and metrics.
    public var rememberedNonceCount: Int { nonces.count }

    private func record(nonce: String, now: Int64) -> NonceCache.Insertion {
        nonces.insert(nonce, now: now)
    }
}
