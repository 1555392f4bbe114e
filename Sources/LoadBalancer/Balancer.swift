import ClusterCore
import Logging

/// The decision path: directory lookup, health view, `Selector`, bookkeeping. No I/O beyond one
/// indexed directory read; it never waits on a server.
struct Balancer: Sendable {
    let directory: Directory
    let board: HealthBoard
    let recent: RecentAssignments
    let metrics: BalancerMetrics
    let logger: Logger

    /// The candidates of the user's group as the load balancer sees them now; nil for an
    /// unknown user.
    func candidates(for username: String, at now: ContinuousClock.Instant) throws(DirectoryError) -> [Candidate]? {
        guard let placement = try directory.placement(ofUser: username) else { return nil }
        return placement.servers.map { server in
            let observation = board.observation(of: server.name)
            return Candidate(server: server, alive: observation?.alive ?? false, report: observation?.report,
                             recentAssignments: recent.count(server.name, at: now))
        }
    }

    func answer(username: String, clientID: String?, started: ContinuousClock.Instant) -> Response {
        do {
            try Names.validateUsername(username)
        } catch {
            metrics.decision("invalid")
            return .error(.invalid, "not a valid username")
        }
        let decision: Decision
        do {
            decision = Selector.choose(username: username, groupServers: try candidates(for: username, at: started))
        } catch {
            logger.error("directory read failed", metadata: ["error": "\(error)"])
            metrics.decision("internal")
            return .error(.unavailable, "directory unavailable on this load balancer")
        }
        switch decision {
        case let .server(server, reason, score):
            recent.record(server.name, at: started)
            metrics.decision(reason.rawValue, duration: .now - started)
            logger.info("login placed", metadata: [
                "user": "\(username)", "server": "\(server.name)", "reason": "\(reason.rawValue)",
                "score": "\(score)", "client": "\(clientID ?? "-")",
            ])
            return .ok([server.address])
        case .unknownUser:
            metrics.decision("unknown-user", duration: .now - started)
            return .error(.notFound, "unknown user")
        case .noLiveServer:
            metrics.decision("no-live-server", duration: .now - started)
            logger.warning("no live server for user", metadata: ["user": "\(username)"])
            return .error(.unavailable, "no live server for this user")
        }
    }
}
