import ArgumentParser
import ClusterCore

struct GroupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "group", abstract: "Manage user groups: the servers that hold a set of users' home directories.",
        subcommands: [Add.self, Remove.self, List.self, Show.self, AddServer.self, RemoveServer.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a group hosted by existing servers.")
        @OptionGroup var options: DirectoryOptions
        @Argument var name: String
        @Option(help: "Comma-separated server names.") var servers: String = ""

        func run() async throws {
            let members = servers.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
            let directory = try options.openDirectory()
            try perform { () throws(DirectoryError) in try directory.addGroup(named: name, servers: members) }
            try options.output.done("added group \(name) on \(members.isEmpty ? "no servers yet" : members.joined(separator: ", "))", ["group": name])
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a group that has no users.")
        @OptionGroup var options: DirectoryOptions
        @Argument var name: String

        func run() async throws {
            let directory = try options.openDirectory()
            try perform { () throws(DirectoryError) in try directory.removeGroup(named: name) }
            try options.output.done("removed group \(name)", ["group": name])
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List groups with their servers and user counts.")
        @OptionGroup var options: DirectoryOptions

        func run() async throws {
            let directory = try options.openDirectory(access: .readOnly)
            let (groups, users) = try perform { () throws(DirectoryError) in (try directory.groups(), try directory.users()) }
            let counts = Dictionary(grouping: users, by: \.group).mapValues(\.count)
            let details = groups.map { GroupDetail(name: $0.name, servers: $0.servers, users: counts[$0.name] ?? 0) }
            if options.json { return try options.output.emit(details) }
            options.output.table(["name", "servers", "users"], details.map { [$0.name, $0.servers.joined(separator: ","), String($0.users)] })
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one group, its servers and its users.")
        @OptionGroup var options: DirectoryOptions
        @Argument var name: String

        func run() async throws {
            let directory = try options.openDirectory(access: .readOnly)
            let (group, users) = try perform { () throws(DirectoryError) in
                guard let group = try directory.group(named: name) else { throw .notFound(kind: "group", name: name) }
                return (group, try directory.users(inGroup: name).map(\.name))
            }
            if options.json { return try options.output.emit(GroupMembers(name: group.name, servers: group.servers, users: users)) }
            options.output.table(["field", "value"], [
                ["name", group.name], ["servers", group.servers.joined(separator: ",")],
                ["users", "\(users.count): \(users.prefix(20).joined(separator: ","))\(users.count > 20 ? ",..." : "")"],
            ])
        }
    }

    struct AddServer: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add-server", abstract: "Add a server to a group.")
        @OptionGroup var options: DirectoryOptions
        @Argument var group: String
        @Argument var server: String

        func run() async throws {
            let directory = try options.openDirectory()
            try perform { () throws(DirectoryError) in try directory.addGroupMember(group: group, server: server) }
            try options.output.done("group \(group) now includes \(server)", ["group": group, "server": server])
        }
    }

    struct RemoveServer: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "remove-server", abstract: "Take a server out of a group.")
        @OptionGroup var options: DirectoryOptions
        @Argument var group: String
        @Argument var server: String

        func run() async throws {
            let directory = try options.openDirectory()
            try perform { () throws(DirectoryError) in try directory.removeGroupMember(group: group, server: server) }
            try options.output.done("group \(group) no longer includes \(server)", ["group": group, "server": server])
        }
    }
}

struct GroupDetail: Encodable {
    var name: String
    var servers: [String]
    var users: Int
}

struct GroupMembers: Encodable {
    var name: String
    var servers: [String]
    var users: [String]
}
