import ClusterCore
import Foundation

/// Prints results for people (aligned tables) or for scripts (`--json`, one JSON document).
struct Output {
    var json: Bool

    func table(_ headers: [String], _ rows: [[String]]) {
        var widths = headers.map(\.count)
        for row in rows {
            for (index, cell) in row.enumerated() where index < widths.count {
                widths[index] = max(widths[index], cell.count)
            }
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { index, cell in
                index == cells.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }
        Swift.print(line(headers.map { $0.uppercased() }))
        for row in rows { Swift.print(line(row)) }
    }

    func emit<T: Encodable>(_ value: T) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        Swift.print(String(decoding: try encoder.encode(value), as: UTF8.self))
    }

    /// Prints a directory command's result; `check` with problems exits 1 after printing.
    func print(_ result: DirectoryCommandResult) throws {
        switch result {
        case let .done(message):
            if json { try emit(["ok": "true", "message": message]) } else { Swift.print(message) }
        case let .servers(servers):
            if json { return try emit(servers) }
            table(["name", "address", "roles", "weight", "state"], servers.map(Output.row))
        case let .server(server, groups):
            if json { return try emit(ServerDetail(server: server, groups: groups)) }
            table(["field", "value"], [
                ["name", server.name], ["address", server.address], ["roles", server.roles.map(\.rawValue).joined(separator: ",")],
                ["weight", String(server.weight)], ["state", server.state.rawValue], ["groups", groups.joined(separator: ",")],
            ])
        case let .groups(groups):
            if json { return try emit(groups) }
            table(["name", "servers", "users"], groups.map { [$0.name, $0.servers.joined(separator: ","), String($0.users)] })
        case let .group(group, users):
            if json { return try emit(GroupMembers(name: group.name, servers: group.servers, users: users)) }
            table(["field", "value"], [
                ["name", group.name], ["servers", group.servers.joined(separator: ",")],
                ["users", "\(users.count): \(users.prefix(20).joined(separator: ","))\(users.count > 20 ? ",..." : "")"],
            ])
        case let .users(users):
            if json { return try emit(users) }
            table(["name", "group"], users.map { [$0.name, $0.group] })
        case let .user(user, servers):
            if json { return try emit(UserDetail(name: user.name, group: user.group, servers: servers.map(\.name))) }
            table(["field", "value"], [
                ["name", user.name], ["group", user.group],
                ["servers", servers.map { "\($0.name) (\($0.address), \($0.state.rawValue))" }.joined(separator: ", ")],
            ])
        case let .hosts(hosts):
            if json { return try emit(hosts) }
            table(["mac", "ip", "hostname", "profile"], hosts.map { [$0.mac.description, $0.ip, $0.hostname, $0.profile ?? "-"] })
        case let .host(host, served):
            if json { return try emit(HostDetail(host: host, served: served)) }
            table(["field", "value"], [
                ["mac", host.mac.description], ["ip", host.ip], ["hostname", host.hostname], ["profile", host.profile ?? "-"],
                ["served", served ? "yes" : "no: its address or name is claimed by an older record (tcctl directory check)"],
            ])
        case let .settings(settings):
            if json { return try emit(settings) }
            table(["key", "value"], settings.map { [$0.key, $0.value] })
        case let .imported(summary):
            if json { return try emit(summary) }
            Swift.print("imported: \(summary.created) created, \(summary.updated) updated, \(summary.unchanged) unchanged")
        case let .revision(revision):
            if json { return try emit(revision) }
            Swift.print("replica  \(revision.replicaID)")
            Swift.print("records  \(revision.recordCount)")
            Swift.print("digest   \(revision.digest)")
            table(["origin", "latest change"], revision.vector.sortedEntries.map { [$0.origin.rawValue, $0.time.description] })
        case let .problems(problems):
            if json { try emit(problems) } else { Swift.print(problems.isEmpty ? "no problems" : problems.joined(separator: "\n")) }
            if !problems.isEmpty { throw CommandFailure("\(problems.count) problem(s) found") }
        }
    }

    static func row(_ server: Server) -> [String] {
        [server.name, server.address, server.roles.map(\.rawValue).joined(separator: ","), String(server.weight), server.state.rawValue]
    }
}

struct ServerDetail: Encodable {
    var server: Server
    var groups: [String]
}

struct GroupMembers: Encodable {
    var name: String
    var servers: [String]
    var users: [String]
}

struct UserDetail: Encodable {
    var name: String
    var group: String
    var servers: [String]
}

struct HostDetail: Encodable {
    var host: ThinClientHost
    var served: Bool
}
