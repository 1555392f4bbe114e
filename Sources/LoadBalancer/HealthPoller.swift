import ClusterCore
import Logging
import ServiceLifecycle

/// Polls every session server's health agent concurrently, every interval, with a per-server
/// timeout, and keeps `HealthBoard` current. Decisions only ever read the board: they never
/// wait for a server, alive or dead.
///
/// A server is polled when due: at each interval while it answers; after a failure it is marked
/// dead at once and retried after a back-off that doubles up to a maximum. The server list is
/// read from the directory each round, so servers added or removed with tcctl are polled or
/// dropped without a restart.
struct HealthPoller: Service {
    let directory: Directory
    let board: HealthBoard
    let healthPort: UInt16
    /// Signs the polls, so that agents report who holds sessions (for reconnects).
    let key: ClusterKey?
    let interval: Duration
    let timeout: Duration
    let maximumBackoff: Duration
    let metrics: BalancerMetrics
    let logger: Logger

    func run() async throws {
        try await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                let started = ContinuousClock.now
                await pollRound()
                // Cancellation (shutdown) ends the sleep and the loop; it is not a failure.
                try? await Task.sleep(until: started + interval, clock: .continuous)
            }
        }
    }

    /// One round: every due server at once; returns when all have answered or timed out.
    func pollRound() async {
        let servers: [Server]
        do {
            servers = try directory.servers().filter { $0.roles.contains(.session) && $0.state != .disabled }
        } catch {
            logger.error("cannot read the server list", metadata: ["error": "\(error)"])
            return
        }
        board.retain(only: Set(servers.map(\.name)))
        let now = ContinuousClock.now
        await withTaskGroup(of: Void.self) { group in
            for server in servers where board.isDue(server.name, at: now) {
                group.addTask { await poll(server, round: now) }
            }
        }
        metrics.recordServers(board.snapshot(), servers: servers)
    }

    /// Polls one server. The next attempt is scheduled from the round's start, not from when
    /// the answer came, so a server that answers is polled every round.
    private func poll(_ server: Server, round: ContinuousClock.Instant) async {
        let client = LineClient(endpoints: [Endpoint(host: server.address, port: healthPort)], timeout: timeout, signingKey: key)
        let wasAlive = board.observation(of: server.name)?.alive
        do {
            var reply = try await client.send(try Request(verb: HealthVerb.health))
            if case .error(.auth, _) = reply.response {
                // An agent without the cluster key still reports its load to an unsigned poll
                // (without the users, so reconnects to it are not possible).
                reply = try await LineClient(endpoints: client.endpoints, timeout: timeout).send(try Request(verb: HealthVerb.health))
            }
            guard case let .ok(words) = reply.response, let json = words.first else {
                throw LoadReportError(reason: "answered \(reply.response.serialized())")
            }
            let report = try LoadReport(parsing: json)
            board.recordSuccess(server.name, report: report, at: round, interval: interval)
            if wasAlive != true {
                logger.notice("server is alive", metadata: ["server": "\(server.name)", "address": "\(server.address)"])
            }
        } catch {
            board.recordFailure(server.name, error: "\(error)", at: round, interval: interval, maximumBackoff: maximumBackoff)
            if wasAlive != false {
                logger.warning("server is dead", metadata: ["server": "\(server.name)", "error": "\(error)"])
            }
        }
    }
}
