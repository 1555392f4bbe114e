import ArgumentParser
import ClusterCore
import Foundation

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
            try await options.run(.addGroup(name: name, servers: members))
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a group that has no users.")
        @OptionGroup var options: DirectoryOptions
        @Argument var name: String

        func run() async throws { try await options.run(.removeGroup(name: name)) }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List groups with their servers and user counts.")
        @OptionGroup var options: DirectoryOptions

        func run() async throws { try await options.run(.listGroups) }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one group, its servers and its users.")
        @OptionGroup var options: DirectoryOptions
        @Argument var name: String

        func run() async throws { try await options.run(.showGroup(name: name)) }
    }

    struct AddServer: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add-server", abstract: "Add a server to a group.")
        @OptionGroup var options: DirectoryOptions
        @Argument var group: String
        @Argument var server: String

        func run() async throws { try await options.run(.addGroupMember(group: group, server: server)) }
    }

    struct RemoveServer: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "remove-server", abstract: "Take a server out of a group.")
        @OptionGroup var options: DirectoryOptions
        @Argument var group: String
        @Argument var server: String

        func run() async throws { try await options.run(.removeGroupMember(group: group, server: server)) }
    }
}
