import ArgumentParser
import ClusterCore
import Foundation

struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Manage users and the group that holds each one's home directory.",
        subcommands: [Add.self, Remove.self, Move.self, List.self, Show.self, Import.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a user to a group.")
        @OptionGroup var options: DirectoryOptions
        @Argument var name: String
        @Option var group: String

        func run() async throws {
            let directory = try options.openDirectory()
            try perform { () throws(DirectoryError) in try directory.addUser(named: name, group: group) }
            try options.output.done("added user \(name) to group \(group)", ["user": name, "group": group])
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a user.")
        @OptionGroup var options: DirectoryOptions
        @Argument var name: String

        func run() async throws {
            let directory = try options.openDirectory()
            try perform { () throws(DirectoryError) in try directory.removeUser(named: name) }
            try options.output.done("removed user \(name)", ["user": name])
        }
    }

    struct Move: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Move a user to another group.")
        @OptionGroup var options: DirectoryOptions
        @Argument var name: String
        @Option var group: String

        func run() async throws {
            let directory = try options.openDirectory()
            try perform { () throws(DirectoryError) in try directory.moveUser(named: name, toGroup: group) }
            try options.output.done("user \(name) is now in group \(group)", ["user": name, "group": group])
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List users.")
        @OptionGroup var options: DirectoryOptions
        @Option(help: "Only the users of this group.") var group: String?

        func run() async throws {
            let directory = try options.openDirectory(access: .readOnly)
            let users = try perform { () throws(DirectoryError) in try directory.users(inGroup: group) }
            if options.json { return try options.output.emit(users) }
            options.output.table(["name", "group"], users.map { [$0.name, $0.group] })
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a user's group and the servers the user may log in on.")
        @OptionGroup var options: DirectoryOptions
        @Argument var name: String

        func run() async throws {
            let directory = try options.openDirectory(access: .readOnly)
            let placement = try perform { () throws(DirectoryError) in
                guard let placement = try directory.placement(ofUser: name) else { throw .notFound(kind: "user", name: name) }
                return placement
            }
            if options.json { return try options.output.emit(UserDetail(name: name, group: placement.user.group, servers: placement.servers.map(\.name))) }
            options.output.table(["field", "value"], [
                ["name", name], ["group", placement.user.group],
                ["servers", placement.servers.map { "\($0.name) (\($0.address), \($0.state.rawValue))" }.joined(separator: ", ")],
            ])
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import users from CSV (username,group), all or nothing.",
            discussion: "A header line 'username,group' is optional; blank lines and lines starting with # are skipped. If any line is wrong nothing is imported and the line is named.")
        @OptionGroup var options: DirectoryOptions
        @Argument(help: "CSV file, or - for standard input.") var file: String
        @Flag(help: "Move existing users to the file's group instead of refusing them.") var update = false

        func run() async throws {
            let text = try readInput(file)
            let directory = try options.openDirectory()
            let summary = try perform { () throws(DirectoryError) in try directory.importUsers(csv: text, mode: update ? .upsert : .createOnly) }
            if options.json { return try options.output.emit(summary) }
            print("imported users: \(summary.created) created, \(summary.updated) moved, \(summary.unchanged) unchanged")
        }
    }
}

struct UserDetail: Encodable {
    var name: String
    var group: String
    var servers: [String]
}

/// Reads a whole input file, or standard input for `-`.
func readInput(_ file: String) throws -> String {
    let data: Data?
    if file == "-" {
        data = FileHandle.standardInput.readDataToEndOfFile()
    } else {
        data = FileManager.default.contents(atPath: file)
    }
    guard let data else { throw CommandFailure("cannot read \(file)") }
    guard let text = String(data: data, encoding: .utf8) else { throw CommandFailure("\(file) is not UTF-8 text") }
    return text
}
