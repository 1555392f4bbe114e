import ArgumentParser
import ClusterCore
import DaemonSupport
import Foundation
import Logging
import ServiceLifecycle

/// `tc-healthd`: the health agent every server runs (the paper's Health Status Server,
/// section 5). It answers the load balancers' `HEALTH` polls with this server's load and
/// sessions, read from the kernel, and takes signed admin verbs.
@main
struct HealthAgentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tc-healthd",
        abstract: "Health agent: reports this server's load and sessions to the load balancers.",
        discussion: """
            Flags override the node configuration file. With --simulate the agent reports made-up \
            figures (for demos, tests and benchmarks running several agents on one machine), says so \
            in every report, and accepts the signed SIMULATE verb.
            Exit status: 0 after SIGTERM or SIGINT, 78 for a configuration error, 64 for a bad flag, 1 otherwise.
            """,
        version: ClusterCoreVersion.string
    )

    static let configurationExitCode = DaemonStartup.configurationExitCode
    static let usageExitCode = DaemonStartup.usageExitCode

    @Option(help: ArgumentHelp("Node configuration file (default \(NodeConfig.defaultPath) if it exists).", valueName: "path"))
    var config: String?

    @Option(help: ArgumentHelp("Address to listen on (health.listen).", valueName: "host:port"))
    var listen: String?

    @Option(help: ArgumentHelp("Node name in reports (node.name).", valueName: "node"))
    var name: String?

    @Option(name: .customLong("key-file"), help: ArgumentHelp("Cluster key file (node.clusterKeyFile).", valueName: "path"))
    var keyFile: String?

    @Option(help: ArgumentHelp("utmp file written by sessreg (health.utmpPath).", valueName: "path"))
    var utmp: String?

    @Option(name: .customLong("state-dir"), help: ArgumentHelp("State directory (node.stateDirectory).", valueName: "path"))
    var stateDir: String?

    @Option(name: .customLong("service-command"), help: ArgumentHelp("Service command (health.serviceCommand).", valueName: "path"))
    var serviceCommand: String?

    @Flag(help: "Report simulated load instead of the kernel's.")
    var simulate = false

    @Option(name: .customLong("simulate-load"), help: ArgumentHelp("Simulated 1-minute load average.", valueName: "load"))
    var simulateLoad: Double?

    @Option(name: .customLong("simulate-users"), help: ArgumentHelp("Simulated users, one session each.", valueName: "a,b,..."))
    var simulateUsers: String?

    @Option(name: .customLong("simulate-cpus"), help: ArgumentHelp("Simulated online CPUs.", valueName: "count"))
    var simulateCPUs: Int?

    func run() async throws {
        DaemonStartup.bootstrapLogging(level: .info)
        let nodeConfig = try DaemonStartup.loadNodeConfig(config, tool: "tc-healthd")
        let settings: AgentSettings
        do {
            settings = try AgentSettings(config: nodeConfig, overrides: overrides)
        } catch {
            throw Self.failure(error.description, status: Self.usageExitCode)
        }
        var logger = Logger(label: "thincluster.healthd")
        logger[metadataKey: "node"] = "\(settings.node)"
        let key = try loadKey(settings.keyFile, logger: logger)
        if let simulation = settings.simulation {
            logger.warning("SIMULATING load: reporting made-up figures, not this machine's", metadata: [
                "load1": "\(simulation.load1)", "cpus": "\(simulation.cpus)", "users": "\(simulation.users.joined(separator: ","))",
            ])
        }
        let service = HealthService(settings: settings, key: key, logger: logger, announce: DaemonStartup.announce)
        let group = ServiceGroup(services: [service], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        do {
            try await group.run()
        } catch {
            // ServiceGroup rethrows the service's own error, whose message is for the operator.
            throw Self.failure("\(error)", status: 1)
        }
    }

    private var overrides: AgentSettings.Overrides {
        AgentSettings.Overrides(
            listen: listen, name: name, keyFile: keyFile, utmp: utmp, stateDirectory: stateDir,
            serviceCommand: serviceCommand, simulate: simulate, simulateLoad: simulateLoad,
            simulateUsers: simulateUsers, simulateCPUs: simulateCPUs
        )
    }

    /// A missing key is a node not yet joined to a cluster: the agent still reports load, and
    /// refuses every admin verb (`ERR auth no-key`). A key that exists but is unusable (group
    /// readable, malformed) is a configuration fault to fix, not to run around.
    private func loadKey(_ path: String, logger: Logger) throws -> ClusterKey? {
        do {
            return try ClusterKey.load(path: path)
        } catch .unreadable(_, _) where !FileManager.default.fileExists(atPath: path) {
            logger.warning("no cluster key: admin verbs are refused until one is installed", metadata: ["path": "\(path)"])
            return nil
        } catch {
            throw Self.failure(error.description, status: Self.configurationExitCode)
        }
    }

    private static func failure(_ message: String, status: Int32) -> ExitCode {
        DaemonStartup.failure("tc-healthd", message, status: status)
    }
}
