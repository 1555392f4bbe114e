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

        func run() async throws { try await options.run(.setSetting(key: key, value: value)) }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a setting.")
        @OptionGroup var options: DirectoryOptions
        @Argument var key: String

        func run() async throws { try await options.run(.removeSetting(key: key)) }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List settings.")
        @OptionGroup var options: DirectoryOptions

        func run() async throws { try await options.run(.listSettings) }
    }
}
