import ArgumentParser
import ClusterCore
import DaemonSupport
import Foundation
import Logging
import ServiceLifecycle

/// `tc-dhcpd`: the DHCP server every boot server runs (the paper's section 4). It hands each
/// thin client its static address from the node's directory replica, the same on every
/// server, and names itself as TFTP and NFS-root server, so any surviving server can boot and
/// renew any client.
@main
struct DHCPdCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tc-dhcpd",
        abstract: "DHCPv4 server with the cluster's static MAC to IP bindings, naming this server as TFTP and NFS-root server.",
        discussion: """
            Bindings come from the node's directory replica (directory.path) and are reloaded when it \
            changes. Flags override the node configuration file. Port 67 needs root or \
            CAP_NET_BIND_SERVICE, and binding a socket to an interface needs CAP_NET_RAW.
            Exit status: 0 after SIGTERM or SIGINT, 78 for a configuration error, 1 otherwise.
            """,
        version: ClusterCoreVersion.string
    )

    @Option(help: ArgumentHelp("Node configuration file (default \(NodeConfig.defaultPath) if it exists).", valueName: "path"))
    var config: String?

    @Option(name: .customLong("interface"), help: ArgumentHelp("Interface to serve; repeat for several (dhcp.interfaces).", valueName: "name"))
    var interfaces: [String] = []

    @Option(help: ArgumentHelp("UDP port to listen on (dhcp.port).", valueName: "port"))
    var port: Int?

    @Option(help: ArgumentHelp("Directory replica to read bindings from (directory.path).", valueName: "path"))
    var db: String?

    @Option(name: .customLong("metrics-listen"), help: ArgumentHelp("Prometheus endpoint (dhcp.metricsListen).", valueName: "host:port"))
    var metricsListen: String?

    @Option(name: .customLong("log-level"), help: ArgumentHelp("trace, debug, info, notice, warning, error or critical.", valueName: "level"))
    var logLevel: Logger.Level = .info

    func run() async throws {
        DaemonStartup.bootstrapLogging(level: logLevel)
        let nodeConfig = try DaemonStartup.loadNodeConfig(config, tool: "tc-dhcpd")
        var section = nodeConfig.dhcp
        if !interfaces.isEmpty { section.interfaces = interfaces }
        if let port {
            guard (1...65_535).contains(port) else { throw ValidationError("--port: \(port) is not in 1...65535") }
            section.port = port
        }
        if let metricsListen { section.metricsListen = try DaemonStartup.endpoint(metricsListen, flag: "--metrics-listen") }
        let directoryPath = db ?? nodeConfig.directory.path

        var logger = Logger(label: "thincluster.dhcpd")
        logger[metadataKey: "node"] = "\(nodeConfig.node.name)"
        let served: [ServingInterface]
        do {
            served = try InterfaceAddresses.select(section.interfaces)
        } catch {
            throw DaemonStartup.failure("tc-dhcpd", "\(error)", status: DaemonStartup.configurationExitCode)
        }
        let metrics = DHCPMetrics()
        let cache = BindingCache.make(path: directoryPath, interval: .milliseconds(section.reloadIntervalMilliseconds),
                                      metrics: metrics, logger: logger)
        cache.loadNow()
        let context = DHCPPacketHandler.Context(
            responder: Responder(policy: ReplyPolicy(section: section)), cache: cache, metrics: metrics,
            notes: NoteLog(interval: .seconds(10), logger: logger),
            unknownClientNotes: NoteLog(interval: .seconds(3600), logger: logger),
            logUnknownClients: section.unknownClients == "log", serverPort: section.port
        )
        let server = DHCPServerService(interfaces: served, port: section.port, context: context, logger: logger, announce: DaemonStartup.announce)
        let metricsServer = MetricsServer(host: section.metricsListen.host, port: Int(section.metricsListen.port),
                                          registry: metrics.registry, logger: logger)
        let group = ServiceGroup(
            configuration: .init(services: [.init(service: cache), .init(service: metricsServer), .init(service: server)],
                                 gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        )
        do {
            try await group.run()
        } catch {
            throw DaemonStartup.failure("tc-dhcpd", "\(error)", status: 1)
        }
        logger.info("stopped", metadata: ["counts": "\(metrics.snapshot().filter { $0.value > 0 })"])
    }

}
