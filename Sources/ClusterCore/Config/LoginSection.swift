/// `login`: tc-login, the loop on the thin client that asks for a username, asks the load
/// balancers for a server and opens the X session there. The file lives in the thin client's
/// root filesystem.
public struct LoginSection: Codable, Sendable, Equatable, ConfigSection {
    /// The load balancers' thin-client endpoints (port 7700), in the order they are tried.
    /// Default: none, in which case `loadBalancersFile` must list them.
    public var loadBalancers: [Endpoint]
    /// A file with one `host:port` per line, written at boot from the DHCP option that carries
    /// the load-balancer list; used when `loadBalancers` is empty. Default
    /// `/run/thincluster/load-balancers`.
    public var loadBalancersFile: String
    /// How long one load balancer may take to answer before the next is tried. Default 2000;
    /// 100...60000.
    public var timeoutMilliseconds: Int
    /// The display command, `{server}` replaced by the chosen address. Default
    /// `[X, -query, {server}, -terminate]`: XDMCP to the chosen server, and back to the
    /// username prompt when the session ends.
    public var displayCommand: [String]

    enum CodingKeys: String, CodingKey, CaseIterable {
        case loadBalancers, loadBalancersFile, timeoutMilliseconds, displayCommand
    }

    public init(
        loadBalancers: [Endpoint] = [],
        loadBalancersFile: String = "/run/thincluster/load-balancers",
        timeoutMilliseconds: Int = 2000,
        displayCommand: [String] = ["X", "-query", "{server}", "-terminate"]
    ) {
        self.loadBalancers = loadBalancers
        self.loadBalancersFile = loadBalancersFile
        self.timeoutMilliseconds = timeoutMilliseconds
        self.displayCommand = displayCommand
    }

    init(reading keys: ConfigKeyReader<CodingKeys>, defaults: LoginSection) throws {
        loadBalancers = try keys.readList(.loadBalancers, default: defaults.loadBalancers, each: .endpoint, distinct: true)
        loadBalancersFile = try keys.read(.loadBalancersFile, default: defaults.loadBalancersFile, rule: .absolutePath)
        timeoutMilliseconds = try keys.read(.timeoutMilliseconds, default: defaults.timeoutMilliseconds, rule: .integer(in: 100...60_000))
        displayCommand = try keys.read(.displayCommand, default: defaults.displayCommand, rule: .commandLine)
    }

    public init(from decoder: any Decoder) throws {
        try self.init(reading: ConfigKeyReader(decoder), defaults: LoginSection())
    }
}
