/// `cluster`: how this node finds the rest of the cluster.
public struct ClusterSection: Codable, Sendable, Equatable, ConfigSection {
    /// The load balancers' admin endpoints (tc-lbd's `adminListen`, port 7702 by default) that
    /// tcctl sends directory commands to, in order of preference: it tries the next one when a
    /// connection fails. Default: empty, and tcctl works on the local directory file. Each entry
    /// is `"host:port"`, an IPv6 address as `"[address]:port"`, port 1...65535; an entry may
    /// appear only once.
    public var loadBalancers: [Endpoint]

    enum CodingKeys: String, CodingKey, CaseIterable {
        case loadBalancers
    }

    public init(loadBalancers: [Endpoint] = []) {
        self.loadBalancers = loadBalancers
    }

    init(reading keys: ConfigKeyReader<CodingKeys>, defaults: ClusterSection) throws {
        loadBalancers = try keys.readList(.loadBalancers, default: defaults.loadBalancers, each: .endpoint, distinct: true)
    }

    public init(from decoder: any Decoder) throws {
        try self.init(reading: ConfigKeyReader(decoder), defaults: ClusterSection())
    }
}
