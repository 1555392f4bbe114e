import ArgumentParser
import ClusterCore

struct SettingCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "setting", abstract: "Cluster-wide settings, replicated with the directory.",
        subcommands: [Set.self, Remove.self, List.self])

    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Set a setting.")
        @OptionGroup var options: DirectoryOptions
        @Argument var key: String
        @Argument var value: String

        func run() async throws {
            let directory = try options.openDirectory()
            try perform { () throws(DirectoryError) in try directory.setSetting(key, to: value) }
            try options.output.done("\(key) = \(value)", ["key": key])
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a setting.")
        @OptionGroup var options: DirectoryOptions
        @Argument var key: String

        func run() async throws {
            let directory = try options.openDirectory()
            try perform { () throws(DirectoryError) in try directory.removeSetting(key) }
            try options.output.done("removed \(key)", ["key": key])
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List settings.")
        @OptionGroup var options: DirectoryOptions

        func run() async throws {
            let directory = try options.openDirectory(access: .readOnly)
            let settings = try perform { () throws(DirectoryError) in try directory.settings() }
            if options.json { return try options.output.emit(settings) }
            options.output.table(["key", "value"], settings.map { [$0.key, $0.value] })
        }
    }
}
