/// `directory`: the node's replica of the cluster directory (servers, users, hosts, settings).
public struct DirectorySection: Codable, Sendable, Equatable, ConfigSection {
    /// The SQLite database file. Default: `<node.stateDirectory>/directory.sqlite`, following an
    /// overridden state directory.
    public var path: String
    /// How long a writer waits for another connection's lock before giving up, in milliseconds
    /// (SQLite's busy timeout). Default 5000; 0...600000. tcctl and the daemons share the file,
    /// so a short wait rides out the other's transaction instead of failing the command.
    public var busyTimeoutMilliseconds: Int

    enum CodingKeys: String, CodingKey, CaseIterable {
        case path, busyTimeoutMilliseconds
    }

    public init(path: String, busyTimeoutMilliseconds: Int = 5000) {
        self.path = path
        self.busyTimeoutMilliseconds = busyTimeoutMilliseconds
    }

    /// All defaults for a node whose state lives in `stateDirectory`.
    public init(stateDirectory: String) {
        self.init(path: NodeSection.path("directory.sqlite", in: stateDirectory))
    }

    init(reading keys: ConfigKeyReader<CodingKeys>, defaults: DirectorySection) throws {
        path = try keys.read(.path, default: defaults.path, rule: .absolutePath)
        busyTimeoutMilliseconds = try keys.read(
            .busyTimeoutMilliseconds, default: defaults.busyTimeoutMilliseconds, rule: .integer(in: 0...600_000)
        )
    }

    public init(from decoder: any Decoder) throws {
        let node = NodeSection(environment: ConfigEnvironment(from: decoder))
        try self.init(reading: ConfigKeyReader(decoder), defaults: DirectorySection(stateDirectory: node.stateDirectory))
    }
}
