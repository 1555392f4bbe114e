import ArgumentParser
import ClusterCore
import DaemonSupport
import Foundation
import Logging
import NIOCore
import ServiceLifecycle

/// `tc-tftpd`: the read-only TFTP server every boot server runs for kernels and boot files.
/// It keeps no state between transfers, so n boot servers tolerate n−1 failures by themselves.
@main
struct TFTPdCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tc-tftpd",
        abstract: "Read-only TFTP server for thin clients' boot files, built for boot storms.",
        discussion: """
            Serves tftp.root and nothing outside it. Flags override the node configuration file. \
            Port 69 needs root or CAP_NET_BIND_SERVICE.
            Exit status: 0 after SIGTERM or SIGINT, 78 for a configuration error, 1 otherwise.
            """,
        version: ClusterCoreVersion.string
    )

    @Option(help: ArgumentHelp("Node configuration file (default \(NodeConfig.defaultPath) if it exists).", valueName: "path"))
    var config: String?

    @Option(help: ArgumentHelp("Directory to serve (tftp.root).", valueName: "path"))
    var root: String?

    @Option(help: ArgumentHelp("Address to listen on (tftp.listen).", valueName: "host:port"))
    var listen: String?

    @Option(help: ArgumentHelp("Directory replica that templates read clients from (directory.path).", valueName: "path"))
    var db: String?

    @Option(name: .customLong("metrics-listen"), help: ArgumentHelp("Prometheus endpoint (tftp.metricsListen).", valueName: "host:port"))
    var metricsListen: String?

    @Option(name: .customLong("log-level"), help: ArgumentHelp("trace, debug, info, notice, warning, error or critical.", valueName: "level"))
    var logLevel: Logger.Level = .info

    func run() async throws {
        DaemonStartup.bootstrapLogging(level: logLevel)
        let nodeConfig = try DaemonStartup.loadNodeConfig(config, tool: "tc-tftpd")
        var section = nodeConfig.tftp
        if let root { section.root = root }
        if let listen { section.listen = try DaemonStartup.endpoint(listen, flag: "--listen") }
        if let metricsListen { section.metricsListen = try DaemonStartup.endpoint(metricsListen, flag: "--metrics-listen") }
        var logger = Logger(label: "thincluster.tftpd")
        logger[metadataKey: "node"] = "\(nodeConfig.node.name)"
        let resolver: PathResolver
        do {
            resolver = try PathResolver(root: section.root, remapBackslashes: section.remapBackslashes, caseInsensitive: section.caseInsensitive)
        } catch {
            throw DaemonStartup.failure("tc-tftpd", "\(error)", status: DaemonStartup.configurationExitCode)
        }
        let metrics = TFTPMetrics()
        let clients: DirectoryFollower<ClientTable>? = section.templates ? DirectoryFollower(
            path: db ?? nodeConfig.directory.path, interval: .seconds(1), empty: ClientTable(), logger: logger,
            build: { directory in try ClientTable(directory: directory) }
        ) : nil
        clients?.loadNow()
        let context = RequestHandler.Context(
            resolver: resolver, cache: BootFileCache(budgetBytes: section.cacheMiB << 20),
            registry: TransferRegistry(maximum: section.maximumTransfers, maximumPerClient: section.maximumTransfersPerClient),
            metrics: metrics,
            limits: TFTPNegotiation.Limits(maximumBlockSize: section.maximumBlockSize, maximumWindowSize: section.maximumWindowSize),
            retransmit: .milliseconds(Int64(section.retransmitMilliseconds)), retries: section.retries,
            totalTimeout: .seconds(Int64(section.transferTimeoutSeconds)), clients: clients, logger: logger
        )
        let server = TFTPServerService(listen: section.listen, context: context, logger: logger, announce: DaemonStartup.announce)
        let metricsServer = MetricsServer(host: section.metricsListen.host, port: Int(section.metricsListen.port),
                                          registry: metrics.registry, logger: logger)
        let group = ServiceGroup(
            configuration: .init(services: [.init(service: metricsServer), .init(service: server)] + (clients.map { [.init(service: $0)] } ?? []),
                                 gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        )
        do {
            try await group.run()
        } catch {
            throw DaemonStartup.failure("tc-tftpd", "\(error)", status: 1)
        }
        logger.info("stopped", metadata: ["counts": "\(metrics.snapshot().filter { $0.value > 0 })"])
    }

}
