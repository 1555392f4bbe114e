/// `loadBalancer`: how tc-lbd listens, polls the health agents and replicates the directory.
public struct LoadBalancerSection: Codable, Sendable, Equatable, ConfigSection {
    /// Where thin clients ask `SERVER <username>`. Default `0.0.0.0:7700`. Unauthenticated and
    /// rate-limited; requests are short, so lines are capped at 512 bytes here.
    public var listen: Endpoint
    /// Where tcctl and the other load balancers send signed admin and replication requests.
    /// Default `0.0.0.0:7702`. Firewall it to the cluster's servers.
    public var adminListen: Endpoint
    /// Where Prometheus scrapes `GET /metrics`. Default `127.0.0.1:9702`.
    public var metricsListen: Endpoint
    /// Other load balancers' admin endpoints, besides those found in the directory (servers
    /// with the `balancer` role, at `adminPort`). Default: none.
    public var peers: [Endpoint]
    /// The port of every node's tc-healthd. Default 7701.
    public var healthPort: Int
    /// The admin port of the load balancers found in the directory. Default 7702.
    public var adminPort: Int
    /// How often every server's health agent is polled. Default 1000; 100...60000.
    public var healthIntervalMilliseconds: Int
    /// How long one health poll may take before the server counts as dead. Default 500;
    /// 50...10000. A dead server is excluded from decisions from that moment.
    public var healthTimeoutMilliseconds: Int
    /// The longest wait between retries of a dead server (the back-off doubles up to this).
    /// Default 8000; 100...300000.
    public var healthMaximumBackoffMilliseconds: Int
    /// How often each peer is asked for the directory changes this replica lacks. Default
    /// 5000; 100...600000. Bounds how long a write whose push was lost takes to arrive.
    public var antiEntropyIntervalMilliseconds: Int
    /// How long a push or pull to one peer may take. Default 2000; 100...60000.
    public var peerTimeoutMilliseconds: Int
    /// How long an assignment counts against the server it was sent to, covering the time
    /// before the server's report can show the new session. Default 15; 1...600 seconds.
    public var recentAssignmentWindowSeconds: Int
    /// `SERVER` requests per second allowed from one client address, with a burst of twice this.
    /// Default 20; 1...100000.
    public var clientRequestsPerSecond: Int

    enum CodingKeys: String, CodingKey, CaseIterable {
        case listen, adminListen, metricsListen, peers, healthPort, adminPort
        case healthIntervalMilliseconds, healthTimeoutMilliseconds, healthMaximumBackoffMilliseconds
        case antiEntropyIntervalMilliseconds, peerTimeoutMilliseconds, recentAssignmentWindowSeconds
        case clientRequestsPerSecond
    }

    public init(
        listen: Endpoint = Endpoint(host: "0.0.0.0", port: 7700),
        adminListen: Endpoint = Endpoint(host: "0.0.0.0", port: 7702),
        metricsListen: Endpoint = Endpoint(host: "127.0.0.1", port: 9702),
        peers: [Endpoint] = [],
        healthPort: Int = 7701,
        adminPort: Int = 7702,
        healthIntervalMilliseconds: Int = 1000,
        healthTimeoutMilliseconds: Int = 500,
        healthMaximumBackoffMilliseconds: Int = 8000,
        antiEntropyIntervalMilliseconds: Int = 5000,
        peerTimeoutMilliseconds: Int = 2000,
        recentAssignmentWindowSeconds: Int = 15,
        clientRequestsPerSecond: Int = 20
    ) {
        self.listen = listen
        self.adminListen = adminListen
        self.metricsListen = metricsListen
        self.peers = peers
        self.healthPort = healthPort
        self.adminPort = adminPort
        self.healthIntervalMilliseconds = healthIntervalMilliseconds
        self.healthTimeoutMilliseconds = healthTimeoutMilliseconds
        self.healthMaximumBackoffMilliseconds = healthMaximumBackoffMilliseconds
        self.antiEntropyIntervalMilliseconds = antiEntropyIntervalMilliseconds
        self.peerTimeoutMilliseconds = peerTimeoutMilliseconds
        self.recentAssignmentWindowSeconds = recentAssignmentWindowSeconds
        self.clientRequestsPerSecond = clientRequestsPerSecond
    }

    init(reading keys: ConfigKeyReader<CodingKeys>, defaults: LoadBalancerSection) throws {
        listen = try keys.read(.listen, default: defaults.listen, rule: .endpoint)
        adminListen = try keys.read(.adminListen, default: defaults.adminListen, rule: .endpoint)
        metricsListen = try keys.read(.metricsListen, default: defaults.metricsListen, rule: .endpoint)
        peers = try keys.readList(.peers, default: defaults.peers, each: .endpoint, distinct: true)
        healthPort = try keys.read(.healthPort, default: defaults.healthPort, rule: .integer(in: 1...65535))
        adminPort = try keys.read(.adminPort, default: defaults.adminPort, rule: .integer(in: 1...65535))
        healthIntervalMilliseconds = try keys.read(.healthIntervalMilliseconds, default: defaults.healthIntervalMilliseconds, rule: .integer(in: 100...60_000))
        healthTimeoutMilliseconds = try keys.read(.healthTimeoutMilliseconds, default: defaults.healthTimeoutMilliseconds, rule: .integer(in: 50...10_000))
        healthMaximumBackoffMilliseconds = try keys.read(.healthMaximumBackoffMilliseconds, default: defaults.healthMaximumBackoffMilliseconds, rule: .integer(in: 100...300_000))
        antiEntropyIntervalMilliseconds = try keys.read(.antiEntropyIntervalMilliseconds, default: defaults.antiEntropyIntervalMilliseconds, rule: .integer(in: 100...600_000))
        peerTimeoutMilliseconds = try keys.read(.peerTimeoutMilliseconds, default: defaults.peerTimeoutMilliseconds, rule: .integer(in: 100...60_000))
        recentAssignmentWindowSeconds = try keys.read(.recentAssignmentWindowSeconds, default: defaults.recentAssignmentWindowSeconds, rule: .integer(in: 1...600))
        clientRequestsPerSecond = try keys.read(.clientRequestsPerSecond, default: defaults.clientRequestsPerSecond, rule: .integer(in: 1...100_000))
    }

    public init(from decoder: any Decoder) throws {
        try self.init(reading: ConfigKeyReader(decoder), defaults: LoadBalancerSection())
    }
}
