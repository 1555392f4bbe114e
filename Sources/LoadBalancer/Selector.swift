import ClusterCore

/// What the load balancer knows about one server when it decides: the directory record, the
/// health poller's latest observation, and recent assignments.
struct Candidate: Sendable {
    var server: Server
    var alive: Bool
    var report: LoadReport?
    var recentAssignments: Int
}

/// The outcome of one `SERVER <username>` request.
enum Decision: Equatable, Sendable {
    enum Reason: String, Sendable {
        case reconnected, assigned
    }

    case server(Server, reason: Reason, score: Double)
    case unknownUser
    /// The group has servers, but none is alive and taking sessions.
    case noLiveServer
}

/// The placement rule, pure: same inputs, same answer, so it is tested exhaustively without
/// sockets and every load balancer decides alike.
///
/// 1. Reconnect: a live server of the user's group that already holds a session of this user
///    gets it back (even when draining: the session is there), the lowest score first.
/// 2. Otherwise the live, active session server of the group with the lowest `LoadScore`.
///    Active means active in the directory and in the agent's own report.
/// 3. Equal scores are ordered by a hash of (username, server name): deterministic, and spread,
///    so users who tie do not all land on the alphabetically first server.
enum Selector {
    static func choose(username: String, groupServers: [Candidate]?) -> Decision {
        guard let candidates = groupServers else { return .unknownUser }
        let live = candidates.filter { $0.alive && $0.report != nil && $0.server.state != .disabled && $0.server.roles.contains(.session) }
        let holding = live.filter { $0.report?.users.contains(username) == true }
        if let best = best(of: holding, username: username) {
            return .server(best.candidate.server, reason: .reconnected, score: best.score)
        }
        let open = live.filter { $0.server.state == .active && $0.report?.state == .active }
        if let best = best(of: open, username: username) {
            return .server(best.candidate.server, reason: .assigned, score: best.score)
        }
        return .noLiveServer
    }

    static func score(of candidate: Candidate) -> Double? {
        candidate.report.map { LoadScore.score($0, recentAssignments: candidate.recentAssignments, weight: candidate.server.weight) }
    }

    private static func best(of candidates: [Candidate], username: String) -> (candidate: Candidate, score: Double)? {
        candidates.compactMap { candidate in score(of: candidate).map { (candidate: candidate, score: $0) } }
            .min { lhs, rhs in
                if abs(lhs.score - rhs.score) > 1e-9 { return lhs.score < rhs.score }
                let left = tieBreak(username, lhs.candidate.server.name), right = tieBreak(username, rhs.candidate.server.name)
                return left != right ? left < right : lhs.candidate.server.name < rhs.candidate.server.name
            }
    }

    /// FNV-1a over "username/server": stable across processes and versions, unlike `hashValue`.
    static func tieBreak(_ username: String, _ server: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in "\(username)/\(server)".utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        return hash
    }
}
