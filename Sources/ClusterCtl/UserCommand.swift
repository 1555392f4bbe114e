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

        func run() async throws { try await options.run(.addUser(name: name, group: group)) }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a user.")
        @OptionGroup var options: DirectoryOptions
        @Argument var name: String

        func run() async throws { try await options.run(.removeUser(name: name)) }
    }

    struct Move: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Move a user to another group.")
        @OptionGroup var options: DirectoryOptions
        @Argument var name: String
        @Option var group: String

        func run() async throws { try await options.run(.moveUser(name: name, group: group)) }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List users.")
        @OptionGroup var options: DirectoryOptions
        @Option(help: "Only the users of this group.") var group: String?

        func run() async throws { try await options.run(.listUsers(group: group)) }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a user's group and the servers the user may log in on.")
        @OptionGroup var options: DirectoryOptions
        @Argument var name: String

        func run() async throws { try await options.run(.showUser(name: name)) }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import users from CSV (username,group), all or nothing.",
            discussion: "A header line 'username,group' is optional; blank lines and lines starting with # are skipped. If any line is wrong nothing is imported and the line is named.")
        @OptionGroup var options: DirectoryOptions
        @Argument(help: "CSV file, or - for standard input.") var file: String
        @Flag(help: "Move existing users to the file's group instead of refusing them.") var update = false

        func run() async throws { try await options.run(.importUsers(csv: try readInput(file), update: update)) }
    }
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
