import ArgumentParser
import ClusterCore
import Foundation

struct DirectoryReplicaCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "directory", abstract: "Inspect the directory replica itself.",
        subcommands: [Revision.self, Check.self, Watch.self])

    struct Revision: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the replica's id, version vector and digest (equal digests: equal content).")
        @OptionGroup var options: DirectoryOptions

        func run() async throws { try await options.run(.revision) }
    }

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Report conflicts left by concurrent writes on different replicas; exit 1 if any.")
        @OptionGroup var options: DirectoryOptions

        func run() async throws { try await options.run(.check) }
    }

    struct Watch: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the revision each time the directory changes, until interrupted.",
            discussion: "Opens the directory read-only, as the DHCP daemon does, and prints one JSON line per committed change.")
        @OptionGroup var options: DirectoryOptions
        @Option(help: "Milliseconds between checks.") var interval: Int = 200

        func run() async throws {
            guard (10...60_000).contains(interval) else { throw ValidationError("--interval must be in 10...60000") }
            guard case let .local(directory) = try options.target(access: .readOnly) else {
                throw ValidationError("watch reads a local directory file: give --db or run it on a node")
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            for try await _ in directory.commits(every: .milliseconds(interval)) {
                let revision: DirectoryRevision
                do { revision = try directory.revision() } catch { throw CommandFailure(error) }
                // Written straight to the descriptor: a pipe reader sees each line at once.
                FileHandle.standardOutput.write(try encoder.encode(revision) + Data("\n".utf8))
            }
        }
    }
}
