/// `node`: who this node is and where it keeps its state.
public struct NodeSection: Codable, Sendable, Equatable, ConfigSection {
    /// The node's name in the cluster: in the directory, in health reports, in logs.
    /// Default: the machine's hostname, lowercased. Must be a lowercase host name.
    public var name: String
    /// Where the node keeps its directory replica, its cluster key and other state.
    /// Default: `/var/lib/thincluster` as root; otherwise `$XDG_STATE_HOME/thincluster`, or
    /// `~/.local/state/thincluster` when that is unset, so a developer's run needs no root.
    public var stateDirectory: String
    /// The shared secret that authenticates admin commands and replication (HMAC key).
    /// Default: `<stateDirectory>/cluster.key`, following an overridden `stateDirectory`.
    public var clusterKeyFile: String

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, stateDirectory, clusterKeyFile
    }

    public init(name: String, stateDirectory: String, clusterKeyFile: String? = nil) {
        self.name = name
        self.stateDirectory = stateDirectory
        self.clusterKeyFile = clusterKeyFile ?? Self.path("cluster.key", in: stateDirectory)
    }

    /// All defaults for a machine and user.
    public init(environment: ConfigEnvironment) {
        self.init(name: environment.hostname.lowercased(), stateDirectory: Self.defaultStateDirectory(for: environment))
    }

    init(reading keys: ConfigKeyReader<CodingKeys>, defaults: NodeSection) throws {
        name = try keys.read(.name, default: defaults.name, rule: .lowercaseHostname)
        stateDirectory = try keys.read(.stateDirectory, default: defaults.stateDirectory, rule: .absolutePath)
        // The key file follows the state directory actually chosen, not the default one.
        let keyFile = Self.path("cluster.key", in: stateDirectory)
        clusterKeyFile = try keys.read(.clusterKeyFile, default: keyFile, rule: .absolutePath)
    }

    public init(from decoder: any Decoder) throws {
        try self.init(reading: ConfigKeyReader(decoder), defaults: NodeSection(environment: ConfigEnvironment(from: decoder)))
    }

    /// The path of a file in the state directory: `stateDirectory` is given as the administrator
    /// wrote it, so a trailing slash must not turn into `//` in every derived path.
    public func pathInStateDirectory(_ name: String) -> String {
        Self.path(name, in: stateDirectory)
    }

    static func path(_ name: String, in directory: String) -> String {
        var base = Substring(directory)
        while base.count > 1, base.hasSuffix("/") { base = base.dropLast() }
        return base == "/" ? "/" + name : base + "/" + name
    }

    /// FHS 5.8 puts variable state of system services in /var/lib; the XDG Base Directory spec
    /// puts a user's in `$XDG_STATE_HOME` (ignored unless absolute), else `~/.local/state`.
    /// With no home known at all, the system path is used: opening it will then fail with a
    /// clear "permission denied" on a path the administrator can see, rather than guessing.
    static func defaultStateDirectory(for environment: ConfigEnvironment) -> String {
        let systemDirectory = "/var/lib/thincluster"
        if environment.effectiveUserID == 0 { return systemDirectory }
        if let stateHome = environment.stateHome, stateHome.hasPrefix("/") {
            return path("thincluster", in: stateHome)
        }
        if let home = environment.homeDirectory, home.hasPrefix("/") {
            return path(".local/state/thincluster", in: home)
        }
        return systemDirectory
    }
}
