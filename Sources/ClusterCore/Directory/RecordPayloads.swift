import Foundation

/// The stored JSON of each record kind. The key is not repeated inside: it is the record's key.
/// Payloads are always re-encoded canonically (sorted keys) before they are stored, so two
/// replicas holding the same record hold the same bytes.
struct ServerPayload: Codable, Equatable {
    var address: String
    var roles: [ServerRole]
    var weight: Int
    var state: ServerState
}

struct EmptyPayload: Codable, Equatable {}

struct UserPayload: Codable, Equatable {
    var group: String
}

struct HostPayload: Codable, Equatable {
    var ip: String
    var hostname: String
    var profile: String?
}

struct SettingPayload: Codable, Equatable {
    var value: String
}

/// A decoded, validated record value, ready to be materialised in the typed tables.
enum RecordValue: Equatable {
    case server(Server)
    case group
    case member(group: String, server: String)
    case user(DirectoryUser)
    case host(ThinClientHost)
    case setting(ClusterSetting)

    /// Decodes and validates the JSON a peer sent for `key` of `kind`. The receiver checks
    /// everything the sender should have: a replica must not take in a value it would refuse
    /// from an administrator.
    init(kind: RecordKind, key: String, json: String) throws(DirectoryError) {
        let data = Data(json.utf8)
        let decoder = JSONDecoder()
        do {
            switch kind {
            case .server:
                let payload = try decoder.decode(ServerPayload.self, from: data)
                let server = Server(name: key, address: payload.address, roles: payload.roles, weight: payload.weight, state: payload.state)
                try server.validate()
                self = .server(server)
            case .group:
                _ = try decoder.decode(EmptyPayload.self, from: data)
                try Names.validateIdentifier(key, field: "group")
                self = .group
            case .member:
                _ = try decoder.decode(EmptyPayload.self, from: data)
                let (group, server) = try RecordValue.splitMemberKey(key)
                self = .member(group: group, server: server)
            case .user:
                let payload = try decoder.decode(UserPayload.self, from: data)
                try Names.validateUsername(key)
                try Names.validateIdentifier(payload.group, field: "group")
                self = .user(DirectoryUser(name: key, group: payload.group))
            case .host:
                let payload = try decoder.decode(HostPayload.self, from: data)
                let host = ThinClientHost(mac: try MACAddress(parsing: key), ip: payload.ip, hostname: payload.hostname, profile: payload.profile)
                guard host.mac.description == key else {
                    throw DirectoryError.invalid(field: "mac", value: key, reason: "host keys must be canonical MAC addresses")
                }
                try host.validate()
                self = .host(host)
            case .setting:
                let payload = try decoder.decode(SettingPayload.self, from: data)
                try Names.validateIdentifier(key, field: "setting")
                guard payload.value.utf8.count <= ClusterSetting.maximumValueLength else {
                    throw DirectoryError.invalid(field: "setting value", value: key, reason: "longer than 1024 bytes")
                }
                self = .setting(ClusterSetting(key: key, value: payload.value))
            }
        } catch let error as DirectoryError {
            throw error
        } catch {
            throw .invalid(field: "\(kind.rawValue) value", value: key, reason: "not a valid record: \(error)")
        }
    }

    /// The canonical JSON of this value.
    func canonicalJSON() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data: Data?
        switch self {
        case let .server(server):
            data = try? encoder.encode(ServerPayload(address: server.address, roles: server.roles, weight: server.weight, state: server.state))
        case .group, .member:
            data = try? encoder.encode(EmptyPayload())
        case let .user(user):
            data = try? encoder.encode(UserPayload(group: user.group))
        case let .host(host):
            data = try? encoder.encode(HostPayload(ip: host.ip, hostname: host.hostname, profile: host.profile))
        case let .setting(setting):
            data = try? encoder.encode(SettingPayload(value: setting.value))
        }
        // Encoding these plain structs of strings and integers cannot fail.
        return data.map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    static func memberKey(group: String, server: String) -> String { "\(group)/\(server)" }

    static func splitMemberKey(_ key: String) throws(DirectoryError) -> (group: String, server: String) {
        let parts = key.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2 else {
            throw .invalid(field: "member", value: key, reason: "must be group/server")
        }
        let group = String(parts[0]), server = String(parts[1])
        try Names.validateIdentifier(group, field: "group")
        try Names.validateHostname(server, field: "server name")
        return (group, server)
    }
}
