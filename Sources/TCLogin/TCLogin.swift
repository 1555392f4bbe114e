import ArgumentParser
import ClusterCore
import DaemonSupport
import Foundation
import Logging
import ServiceLifecycle

/// tc-login: the thin client's login loop. LTSP runs it where it used to run `X -query <server>`:
/// it asks for a username, asks the load balancers which server holds the user's home, runs the
/// display command against that server and asks again when the session ends.
@main
struct TCLoginCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tc-login",
        abstract: "Thin-client login loop: asks for a username, asks the load balancers, opens the X session.",
        discussion: """
            Load balancers are taken from --lb, else login.loadBalancers in the configuration, else the file \
            login.loadBalancersFile (default /run/thincluster/load-balancers) written at boot from DHCP. \
            Exit status: 0 at end of input; 64 for a bad option; 78 when no load balancer is configured or the \
            configuration is invalid. With --once: the display command's status, or 1 (refused), \
            69 (no server available), 126/127 (display command not runnable / not found).
            """,
        version: ClusterCoreVersion.string
    )

    @Option(help: ArgumentHelp("Node configuration file (default \(NodeConfig.defaultPath)).", valueName: "path"))
    var config: String?

    @Option(name: .customLong("lb"), help: ArgumentHelp(
        "Load balancers to ask, in order, comma-separated; a bare host means port 7700.", valueName: "host:port,..."
    ))
    var loadBalancers: String?

    @Option(help: ArgumentHelp("Name sent with each request (default: this machine's hostname).", valueName: "id"))
    var clientID: String?

    @Option(help: ArgumentHelp(
        "Display command, split at spaces, {server} replaced by the chosen server (default from the configuration: X -query {server} -terminate).",
        valueName: "command"
    ))
    var displayCommand: String?

    @Flag(help: "Handle one username, then exit with the display command's status.")
    var once = false

    @Option(help: ArgumentHelp("The prompt shown before each username.", valueName: "text"))
    var prompt = "login: "

    @Option(help: ArgumentHelp("Least severe log level written to standard error.", valueName: "level"))
    var logLevel: Logger.Level = .warning

    func run() async throws {
        let logger = makeLogger()
        let settings: LoginSettings
        do {
            settings = try resolveSettings()
        } catch {
            FileHandle.standardError.write(Data("tc-login: \(error)\n".utf8))
            throw ExitCode(error.exitCode)
        }
        logger.info("asking load balancers", metadata: [
            "loadBalancers": "\(settings.loadBalancers.endpoints.map(\.description).joined(separator: ", "))",
            "source": "\(settings.loadBalancers.source)",
        ])
        let environment = ProcessInfo.processInfo.environment
        let search = ProgramSearch(
            searchPath: environment["PATH"] ?? ProgramSearch.defaultSearchPath,
            isExecutable: { path in
                var isDirectory: ObjCBool = false
                return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
                    && !isDirectory.boolValue && FileManager.default.isExecutableFile(atPath: path)
            }
        )
        let loop = LoginLoop(
            settings: settings,
            terminal: StandardTerminal(),
            transport: LineClient(endpoints: settings.loadBalancers.endpoints, timeout: settings.timeout),
            launcher: SpawnedDisplayLauncher(search: search),
            logger: logger
        )
        let service = LoginService(loop: loop)
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: [.init(service: service, successTerminationBehavior: .gracefullyShutdownGroup)],
            gracefulShutdownSignals: [.sigterm, .sighup, .sigint],
            logger: logger
        ))
        try await group.run()
        let status = await service.exitStatus
        if status != 0 { throw ExitCode(status) }
    }

    private func resolveSettings() throws(LoginSetupError) -> LoginSettings {
        let environment = ConfigEnvironment.current
        let configurationFile = config ?? NodeConfig.defaultPath
        let fileExists = config != nil || FileManager.default.fileExists(atPath: configurationFile)
        let section: LoginSection
        do {
            section = try NodeConfig.load(path: config, environment: environment).login
        } catch {
            throw .configuration(error)
        }
        return try LoginSettings.resolve(
            options: LoginOptions(
                loadBalancers: loadBalancers, clientID: clientID, displayCommand: displayCommand, prompt: prompt, once: once
            ),
            configuration: section,
            configurationFile: fileExists ? configurationFile : nil,
            hostname: environment.hostname,
            readFile: Self.readLoadBalancerFile
        )
    }

    /// The file's text, nil when it does not exist (the DHCP hook has not written it).
    private static func readLoadBalancerFile(_ path: String) throws(LoginSetupError) -> String? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .unreadableLoadBalancerFile(path: path, reason: "permission denied or not a file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw .unreadableLoadBalancerFile(path: path, reason: "it is not UTF-8 text")
        }
        return text
    }

    /// Log lines go to standard error, which on a thin client is the console: hence warnings
    /// only by default, so a person at the prompt is not shown routine chatter.
    private func makeLogger() -> Logger {
        var logger = Logger(label: "tc-login") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = logLevel
        return logger
    }
}

