import ClusterCore

/// Everything tc-healthd runs with: the node configuration with the command-line flags laid
/// over it, checked. Pure, so the precedence rules are tested without starting anything.
struct AgentSettings: Sendable, Equatable {
    var node: String
    var listen: Endpoint
    var keyFile: String
    var stateDirectory: String
    var paths: LoadSampler.Paths
    var serviceCommand: String
    var services: [String]
    var sampleInterval: Duration
    /// Non-nil: report these figures instead of the kernel's.
    var simulation: SimulatedLoad?
    var maximumLineLength: Int
    var idleTimeout: Duration
    var adminClockSkew: Duration

    /// The flags, as typed; nil when not given.
    struct Overrides: Sendable, Equatable {
        var listen: String?
        var name: String?
        var keyFile: String?
        var utmp: String?
        var stateDirectory: String?
        var serviceCommand: String?
        var simulate = false
        var simulateLoad: Double?
        var simulateUsers: String?
        var simulateCPUs: Int?
    }

    /// Flags win over the file. A `--state-dir` also moves the cluster key file when the
    /// configuration left that at its default inside the state directory, the same rule the
    /// configuration file follows for `node.clusterKeyFile`.
    init(config: NodeConfig, overrides: Overrides) throws(AgentSettingsError) {
        let defaultKeyFile = config.node.pathInStateDirectory("cluster.key")
        var node = config.node
        if let name = overrides.name {
            guard name == name.lowercased(), (try? Names.validateHostname(name)) != nil else {
                throw .invalidFlag(flag: "--name", value: name, expected: "a lowercase host name")
            }
            node.name = name
        }
        if let directory = overrides.stateDirectory {
            node.stateDirectory = try Self.absolutePath(directory, flag: "--state-dir")
            if config.node.clusterKeyFile == defaultKeyFile {
                node.clusterKeyFile = node.pathInStateDirectory("cluster.key")
            }
        }
        if let keyFile = overrides.keyFile {
            node.clusterKeyFile = try Self.absolutePath(keyFile, flag: "--key-file")
        }
        self.node = node.name
        self.stateDirectory = node.stateDirectory
        self.keyFile = node.clusterKeyFile

        if let listen = overrides.listen {
            do {
                self.listen = try Endpoint(parsing: listen)
            } catch {
                throw .invalidFlag(flag: "--listen", value: listen, expected: "HOST:PORT or [IPv6]:PORT (\(error))")
            }
        } else {
            self.listen = config.health.listen
        }
        var paths = LoadSampler.Paths()
        paths.utmp = try overrides.utmp.map { path throws(AgentSettingsError) in try Self.absolutePath(path, flag: "--utmp") }
            ?? config.health.utmpPath
        self.paths = paths
        serviceCommand = try overrides.serviceCommand.map { path throws(AgentSettingsError) in
            try Self.absolutePath(path, flag: "--service-command")
        } ?? config.health.serviceCommand
        services = config.health.services
        sampleInterval = .milliseconds(config.health.sampleIntervalMilliseconds)
        maximumLineLength = config.protocol.maxLineLength
        idleTimeout = .seconds(config.protocol.idleTimeoutSeconds)
        adminClockSkew = .seconds(config.protocol.adminClockSkewSeconds)
        simulation = try Self.simulation(overrides)
    }

    private static func simulation(_ overrides: Overrides) throws(AgentSettingsError) -> SimulatedLoad? {
        guard overrides.simulate else {
            let given = [
                overrides.simulateLoad.map { _ in "--simulate-load" },
                overrides.simulateUsers.map { _ in "--simulate-users" },
                overrides.simulateCPUs.map { _ in "--simulate-cpus" },
            ].compactMap { $0 }
            // Explicit, so that a stray option in a production unit cannot turn simulation on.
            if let flag = given.first { throw .needsSimulate(flag: flag) }
            return nil
        }
        var load = SimulatedLoad()
        if let value = overrides.simulateLoad { load.load1 = value }
        if let value = overrides.simulateCPUs { load.cpus = value }
        if let value = overrides.simulateUsers {
            load.users = value.split(separator: ",").map { String($0) }
        }
        do {
            try SimulatedLoadUpdate.validate(load)
        } catch {
            throw .simulation(error)
        }
        return load
    }

    private static func absolutePath(_ path: String, flag: String) throws(AgentSettingsError) -> String {
        guard path.hasPrefix("/") else { throw .invalidFlag(flag: flag, value: path, expected: "an absolute path") }
        return path
    }
}

/// A command-line flag tc-healthd cannot run with.
enum AgentSettingsError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidFlag(flag: String, value: String, expected: String)
    case needsSimulate(flag: String)
    case simulation(SimulationError)

    var description: String {
        switch self {
        case let .invalidFlag(flag, value, expected):
            return "\(flag) \(value.debugDescription): expected \(expected)"
        case .needsSimulate(let flag):
            return "\(flag) only applies with --simulate"
        case .simulation(let error):
            return "simulated load: \(error)"
        }
    }
}
