/// Every administrative operation on the directory, as one value.
///
/// tcctl builds these; it executes them on a local directory file, or sends them to a load
/// balancer (`DIR <json>`, signed), which executes the same value on its replica and pushes the
/// change to its peers. One type for both paths means a command behaves the same wherever it
/// runs, and the wire format is this enum's Codable form.
public enum DirectoryCommand: Codable, Equatable, Sendable {
    case addServer(Server)
    case updateServer(ServerUpdate)
    case removeServer(name: String, force: Bool)
    case listServers
    case showServer(name: String)
    case addGroup(name: String, servers: [String])
    case removeGroup(name: String)
    case addGroupMember(group: String, server: String)
    case removeGroupMember(group: String, server: String)
    case listGroups
    case showGroup(name: String)
    case addUser(name: String, group: String)
    case moveUser(name: String, group: String)
    case removeUser(name: String)
    case listUsers(group: String?)
    case showUser(name: String)
    case addHost(ThinClientHost)
    case updateHost(HostUpdate)
    case removeHost(mac: String)
    case listHosts
    case showHost(mac: String)
    case setSetting(key: String, value: String)
    case removeSetting(key: String)
    case listSettings
    case importUsers(csv: String, update: Bool)
    case importHosts(csv: String, update: Bool)
    case revision
    case check

    /// Whether the command changes the directory (and must be replicated).
    public var isWrite: Bool {
        switch self {
        case .listServers, .showServer, .listGroups, .showGroup, .listUsers, .showUser, .listHosts, .showHost,
             .listSettings, .revision, .check:
            return false
        default:
            return true
        }
    }
}

/// The fields of a server to change; nil leaves a field as it is.
public struct ServerUpdate: Codable, Equatable, Sendable {
    public var name: String
    public var address: String?
    public var roles: [ServerRole]?
    public var weight: Int?
    public var state: ServerState?

    public init(name: String, address: String? = nil, roles: [ServerRole]? = nil, weight: Int? = nil, state: ServerState? = nil) {
        self.name = name
        self.address = address
        self.roles = roles
        self.weight = weight
        self.state = state
    }
}

/// The fields of a thin client to change; nil leaves a field as it is, an empty profile returns
/// the client to the cluster's default profile.
public struct HostUpdate: Codable, Equatable, Sendable {
    public var mac: String
    public var ip: String?
    public var hostname: String?
    public var profile: String?

    public init(mac: String, ip: String? = nil, hostname: String? = nil, profile: String? = nil) {
        self.mac = mac
        self.ip = ip
        self.hostname = hostname
        self.profile = profile
    }
}

/// A group with its servers and how many users it holds, as listings show it.
public struct GroupSummary: Codable, Equatable, Sendable {
    public var name: String
    public var servers: [String]
    public var users: Int
}

/// What a `DirectoryCommand` returns.
public enum DirectoryCommandResult: Codable, Equatable, Sendable {
    case done(String)
    case servers([Server])
    case server(Server, groups: [String])
    case groups([GroupSummary])
    case group(UserGroup, users: [String])
    case users([DirectoryUser])
    case user(DirectoryUser, servers: [Server])
    case hosts([ThinClientHost])
    case host(ThinClientHost, served: Bool)
    case settings([ClusterSetting])
    case imported(ImportSummary)
    case revision(DirectoryRevision)
    case problems([String])
}
