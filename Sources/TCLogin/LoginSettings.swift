import ClusterCore

/// Everything the login loop needs, resolved once at start from the command line, the node
/// configuration and the boot-time load-balancer file.
struct LoginSettings: Equatable, Sendable {
    /// The load balancers, in the order they are asked.
    var loadBalancers: LoadBalancerList
    /// How long one load balancer may take before the next is asked.
    var timeout: Duration
    /// The command that opens the session.
    var displayCommand: DisplayCommand
    /// Sent after the username so the load balancer can log and rate-limit per thin client;
    /// nil sends the username alone.
    var clientID: String?
    /// Printed before each username is read.
    var prompt: String
    /// One username, then exit (for scripts and tests).
    var once: Bool
}

/// The command-line options that override the configuration; nil where not given.
struct LoginOptions: Equatable, Sendable {
    var loadBalancers: String?
    var clientID: String?
    var displayCommand: String?
    var prompt: String = "login: "
    var once = false
}

extension LoginSettings {
    /// Combines the sources, the command line first.
    ///
    /// - Parameters:
    ///   - configuration: the `login` section, defaults included.
    ///   - configurationFile: the file it was read from, or nil when no file existed; only for
    ///     saying where tc-login looked.
    ///   - hostname: the machine's hostname, the client ID unless `--client-id` is given.
    ///   - readFile: the contents of a file, nil when it does not exist. A parameter so that
    ///     tests decide what the load-balancer file holds.
    static func resolve(
        options: LoginOptions,
        configuration: LoginSection,
        configurationFile: String?,
        hostname: String,
        readFile: (String) throws(LoginSetupError) -> String?
    ) throws(LoginSetupError) -> LoginSettings {
        let displayCommand = if let text = options.displayCommand {
            try DisplayCommand(option: text)
        } else {
            try DisplayCommand(words: configuration.displayCommand)
        }
        let clientID = (options.clientID ?? hostname).trimmingWhitespace()
        return LoginSettings(
            loadBalancers: try loadBalancers(
                options: options, configuration: configuration, configurationFile: configurationFile, readFile: readFile
            ),
            timeout: .milliseconds(configuration.timeoutMilliseconds),
            displayCommand: displayCommand,
            clientID: clientID.isEmpty ? nil : clientID,
            prompt: options.prompt,
            once: options.once
        )
    }

    /// The first non-empty list of `--lb`, `login.loadBalancers` and `login.loadBalancersFile`.
    /// The file is read only when it is needed: on a thin client configured statically it may
    /// well not exist.
    private static func loadBalancers(
        options: LoginOptions,
        configuration: LoginSection,
        configurationFile: String?,
        readFile: (String) throws(LoginSetupError) -> String?
    ) throws(LoginSetupError) -> LoadBalancerList {
        if let option = options.loadBalancers {
            return LoadBalancerList(endpoints: try LoadBalancerList.parseOption(option), source: .option)
        }
        if !configuration.loadBalancers.isEmpty {
            return LoadBalancerList(
                endpoints: LoadBalancerList.distinct(configuration.loadBalancers),
                source: .configuration(path: configurationFile ?? NodeConfig.defaultPath)
            )
        }
        let path = configuration.loadBalancersFile
        let fileEndpoints = if let text = try readFile(path) {
            try LoadBalancerList.parseFile(text, path: path)
        } else {
            [Endpoint]?.none
        }
        if let fileEndpoints, !fileEndpoints.isEmpty {
            return LoadBalancerList(endpoints: fileEndpoints, source: .file(path: path))
        }
        throw .noLoadBalancers(lookedIn: [
            "no --lb option",
            configurationFile.map { "login.loadBalancers is empty in \($0)" }
                ?? "no configuration file at \(NodeConfig.defaultPath)",
            fileEndpoints == nil ? "\(path) does not exist" : "\(path) lists none",
        ])
    }
}
