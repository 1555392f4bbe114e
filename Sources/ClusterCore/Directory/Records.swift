/// What a server does in the cluster. In the paper every server runs the X display manager, an
/// NFS root and the health agent (`session`); some also answer boot requests with DHCP and TFTP
/// (`boot`) and run a load balancer (`balancer`).
public enum ServerRole: String, Codable, CaseIterable, Sendable, Comparable {
    case session, boot, balancer

    public static func < (lhs: ServerRole, rhs: ServerRole) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// Whether a server takes new sessions. A draining server keeps its running sessions and gets no
/// new ones (maintenance without cutting users off); a disabled one is left out entirely.
public enum ServerState: String, Codable, CaseIterable, Sendable {
    case active, draining, disabled
}

/// A server of the cluster.
public struct Server: Codable, Equatable, Sendable {
    public var name: String
    /// Where thin clients and load balancers reach it: an IP literal or a DNS name.
    public var address: String
    public var roles: [ServerRole]
    /// Relative capacity: a server of weight 2 is expected to carry twice the sessions of one of
    /// weight 1 at the same load. 1...1000.
    public var weight: Int
    public var state: ServerState

    public init(name: String, address: String, roles: [ServerRole] = [.session], weight: Int = 1, state: ServerState = .active) {
        self.name = name
        self.address = address
        self.roles = Array(Set(roles)).sorted()
        self.weight = weight
        self.state = state
    }

    public static let weightRange = 1 ... 1000

    func validate() throws(DirectoryError) {
        try Names.validateHostname(name, field: "server name")
        try Names.validateServerAddress(address)
        guard Server.weightRange.contains(weight) else {
            throw .invalid(field: "weight", value: String(weight), reason: "must be in 1...1000")
        }
        guard !roles.isEmpty else {
            throw .invalid(field: "roles", value: "", reason: "a server needs at least one of session, boot, balancer")
        }
    }
}

/// A user group: the users whose home directories live on the same pair (or set) of servers.
/// A user logs in on one of the group's servers only.
public struct UserGroup: Codable, Equatable, Sendable {
    public var name: String
    /// Member server names, sorted.
    public var servers: [String]

    public init(name: String, servers: [String]) {
        self.name = name
        self.servers = Array(Set(servers)).sorted()
    }
}

/// A user and the one group that holds the user's home directory.
public struct DirectoryUser: Codable, Equatable, Sendable {
    public var name: String
    public var group: String

    public init(name: String, group: String) {
        self.name = name
        self.group = group
    }
}

/// A thin client with its fixed address: every DHCP server of the cluster hands out the same
/// binding, so a client keeps its address whichever server answers.
public struct ThinClientHost: Codable, Equatable, Sendable {
    public var mac: MACAddress
    public var ip: String
    public var hostname: String
    /// The boot profile (kernel, boot file) this client uses; nil for the cluster default.
    public var profile: String?

    public init(mac: MACAddress, ip: String, hostname: String, profile: String? = nil) {
        self.mac = mac
        self.ip = ip
        self.hostname = hostname
        self.profile = profile
    }

    func validate() throws(DirectoryError) {
        try Names.validateIPv4(ip)
        try Names.validateHostname(hostname)
        if let profile { try Names.validateIdentifier(profile, field: "profile") }
    }

    private enum CodingKeys: String, CodingKey { case mac, ip, hostname, profile }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let macText = try container.decode(String.self, forKey: .mac)
        do {
            mac = try MACAddress(parsing: macText)
        } catch {
            throw DecodingError.dataCorruptedError(forKey: .mac, in: container, debugDescription: error.description)
        }
        ip = try container.decode(String.self, forKey: .ip)
        hostname = try container.decode(String.self, forKey: .hostname)
        profile = try container.decodeIfPresent(String.self, forKey: .profile)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(mac.description, forKey: .mac)
        try container.encode(ip, forKey: .ip)
        try container.encode(hostname, forKey: .hostname)
        try container.encodeIfPresent(profile, forKey: .profile)
    }
}

/// A cluster-wide setting (for example the DHCP lease time), replicated like every record.
public struct ClusterSetting: Codable, Equatable, Sendable {
    public var key: String
    public var value: String

    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }

    public static let maximumValueLength = 1024
}
