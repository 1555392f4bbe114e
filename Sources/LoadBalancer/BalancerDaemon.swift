import ClusterCore
import Foundation
import Logging
import ServiceLifecycle

/// The services of one tc-lbd, wired together: thin-client and admin line servers, health
/// poller, replication, metrics.
struct BalancerDaemon {
    struct Addresses {
        var client: String
        var admin: String
        var metrics: String
    }

    let settings: NodeConfig
    let logger: Logger
    let clientServer: LineServer
    let adminServer: LineServer
    let metricsServer: MetricsServer
    let poller: HealthPoller
    let replication: ReplicationService

    init(settings: NodeConfig, logger: Logger) throws {
        self.settings = settings
        self.logger = logger
        let section = settings.loadBalancer
        let directory: Directory
        do {
            directory = try Directory.open(path: settings.directory.path,
                                           busyTimeout: .milliseconds(settings.directory.busyTimeoutMilliseconds))
        } catch {
            throw DaemonError("cannot open the directory at \(settings.directory.path): \(error)")
        }
        let key: ClusterKey?
        do {
            key = try ClusterKey.load(path: settings.node.clusterKeyFile)
        } catch {
            // Thin clients can still be served from the replica; admin and replication cannot.
            logger.warning("no usable cluster key: admin commands and replication are refused",
                           metadata: ["path": "\(settings.node.clusterKeyFile)", "error": "\(error)"])
            key = nil
        }
        let metrics = BalancerMetrics()
        let board = HealthBoard()
        let recent = RecentAssignments(window: .seconds(section.recentAssignmentWindowSeconds))
        let pushes = PushQueue()
        let replicator = Replicator(
            directory: directory, node: settings.node.name, configuredPeers: section.peers, ownAdmin: section.adminListen,
            adminPort: UInt16(section.adminPort), key: key, timeout: .milliseconds(section.peerTimeoutMilliseconds),
            metrics: metrics, logger: logger)
        let balancer = Balancer(directory: directory, board: board, recent: recent, metrics: metrics, logger: logger)
        let idle = Duration.seconds(settings.protocol.idleTimeoutSeconds)
        clientServer = LineServer(
            configuration: .init(host: section.listen.host, port: Int(section.listen.port), idleTimeout: idle, maximumLineLength: 512),
            handler: ClientRequestHandler(balancer: balancer, limiter: RateLimiter(perSecond: section.clientRequestsPerSecond)),
            logger: logger)
        let authenticator = key.map {
            RequestAuthenticator(key: $0, protectedVerbs: AdminVerb.signed.union([HealthVerb.drain, HealthVerb.undrain]),
                                 allowedSkew: .seconds(settings.protocol.adminClockSkewSeconds))
        }
        adminServer = LineServer(
            configuration: .init(host: section.adminListen.host, port: Int(section.adminListen.port), idleTimeout: idle,
                                 maximumLineLength: AdminLimits.maximumLineLength, maximumConnections: AdminLimits.maximumConnections),
            handler: AdminRequestHandler(node: settings.node.name, directory: directory, replicator: replicator, pushes: pushes,
                                         board: board, recent: recent, metrics: metrics, logger: logger),
            authenticator: authenticator, logger: logger)
        metricsServer = MetricsServer(host: section.metricsListen.host, port: Int(section.metricsListen.port),
                                      registry: metrics.registry, logger: logger)
        poller = HealthPoller(directory: directory, board: board, healthPort: UInt16(section.healthPort), key: key,
                              interval: .milliseconds(section.healthIntervalMilliseconds),
                              timeout: .milliseconds(section.healthTimeoutMilliseconds),
                              maximumBackoff: .milliseconds(section.healthMaximumBackoffMilliseconds), metrics: metrics, logger: logger)
        replication = ReplicationService(replicator: replicator, interval: .milliseconds(section.antiEntropyIntervalMilliseconds), pushes: pushes)
    }

    /// Runs every service until SIGTERM or SIGINT; `ready` is called once all listeners are bound.
    func run(ready: @escaping @Sendable (Addresses) -> Void) async throws {
        let group = ServiceGroup(configuration: .init(
            services: [.init(service: LineServerService(clientServer)), .init(service: LineServerService(adminServer)),
                       .init(service: metricsServer), .init(service: poller), .init(service: replication)],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            tasks.addTask {
                let addresses = Addresses(client: try await clientServer.localAddress().endpointText,
                                          admin: try await adminServer.localAddress().endpointText,
                                          metrics: try await metricsServer.localAddress().endpointText)
                ready(addresses)
            }
            try await tasks.waitForAll()
        }
    }
}

struct DaemonError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
