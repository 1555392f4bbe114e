import ArgumentParser
import ClusterCore
import DaemonSupport
import Foundation
import Logging
import ServiceLifecycle

/// tc-lbd: answers a thin client's username with the least-loaded live server of the user's
/// group, and keeps its replica of the directory in step with the other load balancers.
@main
struct LoadBalancerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tc-lbd",
        abstract: "ThinCluster load balancer: username -> least-loaded live server of the user's group.",
        discussion: "Flags override the node configuration file. See docs/ARCHITECTURE.md for the placement rule and docs/PROTOCOL.md for the verbs.",
        version: ClusterCoreVersion.string)

    @Option(help: ArgumentHelp("Node configuration file.", valueName: "path")) var config: String?
    @Option(help: "This node's name (node.name); must match its server record to find its peers.") var name: String?
    @Option(help: ArgumentHelp("Thin-client endpoint (loadBalancer.listen).", valueName: "host:port")) var listen: String?
    @Option(name: .customLong("admin-listen"), help: ArgumentHelp("Admin endpoint (loadBalancer.adminListen).", valueName: "host:port")) var adminListen: String?
    @Option(name: .customLong("metrics-listen"), help: ArgumentHelp("Prometheus endpoint (loadBalancer.metricsListen).", valueName: "host:port")) var metricsListen: String?
    @Option(help: ArgumentHelp("Directory database (directory.path).", valueName: "path")) var db: String?
    @Option(name: .customLong("key-file"), help: ArgumentHelp("Cluster key (node.clusterKeyFile).", valueName: "path")) var keyFile: String?
    @Option(name: .customLong("peer"), help: ArgumentHelp("Another load balancer's admin endpoint; repeatable.", valueName: "host:port")) var peers: [String] = []
    @Option(name: .customLong("health-port"), help: "Health agents' port (loadBalancer.healthPort).") var healthPort: Int?
    @Option(name: .customLong("admin-port"), help: "Admin port of load balancers found in the directory (loadBalancer.adminPort).") var adminPort: Int?
    @Option(name: .customLong("health-interval-ms")) var healthInterval: Int?
    @Option(name: .customLong("health-timeout-ms")) var healthTimeout: Int?
    @Option(name: .customLong("anti-entropy-ms")) var antiEntropy: Int?
    @Option(name: .customLong("client-rate"), help: "SERVER requests per second per client address.") var clientRate: Int?
    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error.") var logLevel: Logger.Level = .info

    func run() async throws {
        let settings = try resolvedSettings()
        DaemonStartup.bootstrapLogging(level: logLevel)
        var logger = Logger(label: "tc-lbd")
        logger[metadataKey: "node"] = "\(settings.node.name)"
        let daemon = try BalancerDaemon(settings: settings, logger: logger)
        try await daemon.run { addresses in
            let line = "tc-lbd \(settings.node.name) listening on \(addresses.client) (thin clients), \(addresses.admin) (admin), \(addresses.metrics) (metrics)\n"
            FileHandle.standardOutput.write(Data(line.utf8))
        }
    }

    /// The node configuration with this command line's overrides applied and checked.
    func resolvedSettings() throws -> NodeConfig {
        var settings = try DaemonStartup.loadNodeConfig(config, tool: "tc-lbd")
        if let name { settings.node.name = name }
        if let db { settings.directory.path = db }
        if let keyFile { settings.node.clusterKeyFile = keyFile }
        if let listen { settings.loadBalancer.listen = try DaemonStartup.endpoint(listen, flag: "--listen") }
        if let adminListen { settings.loadBalancer.adminListen = try DaemonStartup.endpoint(adminListen, flag: "--admin-listen") }
        if let metricsListen { settings.loadBalancer.metricsListen = try DaemonStartup.endpoint(metricsListen, flag: "--metrics-listen") }
        if !peers.isEmpty { settings.loadBalancer.peers = try peers.map { try DaemonStartup.endpoint($0, flag: "--peer") } }
        for (value, range, flag) in [(healthPort, 1...65535, "--health-port"), (adminPort, 1...65535, "--admin-port"),
                                     (healthInterval, 100...60_000, "--health-interval-ms"), (healthTimeout, 50...10_000, "--health-timeout-ms"),
                                     (antiEntropy, 100...600_000, "--anti-entropy-ms"), (clientRate, 1...100_000, "--client-rate")] {
            if let value, !range.contains(value) { throw ValidationError("\(flag) must be in \(range.lowerBound)...\(range.upperBound)") }
        }
        if let healthPort { settings.loadBalancer.healthPort = healthPort }
        if let adminPort { settings.loadBalancer.adminPort = adminPort }
        if let healthInterval { settings.loadBalancer.healthIntervalMilliseconds = healthInterval }
        if let healthTimeout { settings.loadBalancer.healthTimeoutMilliseconds = healthTimeout }
        if let antiEntropy { settings.loadBalancer.antiEntropyIntervalMilliseconds = antiEntropy }
        if let clientRate { settings.loadBalancer.clientRequestsPerSecond = clientRate }
        return settings
    }
}

