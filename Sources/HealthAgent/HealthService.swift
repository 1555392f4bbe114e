import ClusterCore
import Foundation
import Logging
import ServiceLifecycle

/// tc-healthd's one service: the line server answering the verbs, and the sampler task that
/// keeps the latest sample fresh.
///
/// `run()` takes the first sample before it binds, so the first `HEALTH` answer is already
/// true; a machine whose kernel figures cannot be read fails here, before any load balancer
/// sees it. It then serves until graceful shutdown (SIGTERM, SIGINT), which cancels both tasks:
/// the server closes its socket and connections and `run()` returns.
struct HealthService: Service {
    let settings: AgentSettings
    let key: ClusterKey?
    let logger: Logger
    /// Receives the one line that says the agent is listening (stdout in production).
    let announce: @Sendable (String) -> Void

    func run() async throws {
        let sampler = LoadSampler(paths: settings.paths)
        let first: LoadSample
        var logged = LoggedNotes()
        if let simulation = settings.simulation {
            first = LoadSample(simulating: simulation, at: Date())
        } else {
            do {
                let outcome = try sampler.sample()
                logged.log(outcome.notes, to: logger)
                first = outcome.sample
            } catch {
                throw HealthServiceError.firstSample(error)
            }
        }
        let state = AgentState(
            node: settings.node, sample: first, availability: loadAvailability(),
            source: settings.simulation.map { .simulated($0) } ?? .kernel,
            store: DrainStateStore(stateDirectory: settings.stateDirectory)
        )
        let server = makeServer(state: state)
        try await cancelWhenGracefulShutdown { [logged] in
            try await withThrowingDiscardingTaskGroup { group in
                group.addTask { [settings] in
                    do {
                        try await server.run()
                    } catch {
                        throw HealthServiceError.cannotListen(settings.listen, error)
                    }
                }
                group.addTask { await announceWhenListening(server) }
                group.addTask { await sampleUntilCancelled(sampler, into: state, notes: logged) }
            }
        }
    }

    private func makeServer(state: AgentState) -> LineServer {
        let handler = HealthRequestHandler(
            state: state, services: settings.services,
            runner: ServiceCommandRunner(command: settings.serviceCommand), hasClusterKey: key != nil, logger: logger
        )
        let authenticator = key.map {
            RequestAuthenticator(key: $0, protectedVerbs: HealthRequestHandler.protectedVerbs, allowedSkew: settings.adminClockSkew)
        }
        let configuration = LineServer.Configuration(
            host: settings.listen.host, port: Int(settings.listen.port),
            idleTimeout: settings.idleTimeout, maximumLineLength: settings.maximumLineLength
        )
        return LineServer(configuration: configuration, handler: handler, authenticator: authenticator, logger: logger)
    }

    /// A drained server stays drained across restarts. A state file that cannot be read is
    /// taken as draining: it is only ever written by DRAIN and UNDRAIN, so something is wrong,
    /// and new sessions are safer elsewhere until an administrator says otherwise.
    private func loadAvailability() -> LoadReport.State {
        let store = DrainStateStore(stateDirectory: settings.stateDirectory)
        do {
            let state = try store.load()
            if state == .draining { logger.notice("starting drained, as saved", metadata: ["path": "\(store.path)"]) }
            return state
        } catch {
            logger.error("starting drained: \(error)")
            return .draining
        }
    }

    private func announceWhenListening(_ server: LineServer) async {
        guard let address = try? await server.localAddress() else { return }
        let host = address.ipAddress.map { $0.contains(":") ? "[\($0)]" : $0 } ?? settings.listen.host
        let mode = settings.simulation == nil ? "kernel load" : "SIMULATED load"
        announce("\(HealthRequestHandler.programName) \(settings.node) listening on \(host):\(address.port ?? 0) (\(mode))")
    }

    /// One sample per interval, on a fixed schedule; a sample that fails keeps the previous one
    /// (its `sampledAt` ages) and is logged when the reason changes, not every second.
    private func sampleUntilCancelled(_ sampler: LoadSampler, into state: AgentState, notes: LoggedNotes) async {
        let clock = ContinuousClock()
        var deadline = clock.now
        var logged = notes
        var failure: LoadSamplingError?
        while true {
            deadline += settings.sampleInterval
            do {
                try await Task.sleep(until: deadline, clock: clock)
            } catch {
                return
            }
            if settings.simulation != nil {
                await state.refreshSimulation(at: Date())
                continue
            }
            do {
                let outcome = try sampler.sample()
                await state.record(outcome.sample)
                logged.log(outcome.notes, to: logger)
                if failure != nil { logger.notice("load sampling works again") }
                failure = nil
            } catch {
                if failure != error { logger.error("load sampling failed, answering from the last sample: \(error)") }
                failure = error
            }
            // After a stall (a suspended VM), start afresh rather than sampling in a burst.
            if clock.now > deadline + settings.sampleInterval { deadline = clock.now }
        }
    }
}

/// The sampler's non-fatal notes already logged, so each is logged once and not every second.
struct LoggedNotes: Sendable {
    private var seen = Set<String>()

    mutating func log(_ notes: [String], to logger: Logger) {
        for note in notes where seen.insert(note).inserted {
            logger.warning("\(note)")
        }
    }
}

/// Why the health service stopped.
enum HealthServiceError: Error, CustomStringConvertible {
    case firstSample(LoadSamplingError)
    case cannotListen(Endpoint, any Error)

    var description: String {
        switch self {
        case .firstSample(.unreadable(.absent(let path))) where path.hasPrefix("/proc/"):
            return "cannot read this machine's load: \(path) does not exist (without /proc, only --simulate can run)"
        case .firstSample(let error):
            return "cannot read this machine's load: \(error)"
        case let .cannotListen(endpoint, error):
            return "cannot listen on \(endpoint) (health.listen or --listen): \(error)"
        }
    }
}
