import ArgumentParser
import ClusterCore
import Foundation

struct DirectoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "directory", abstract: "Inspect the directory replica itself.",
        subcommands: [Revision.self, Check.self, Watch.self])

    struct Revision: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show this replica's id, version vector and digest (equal digests: equal content).")
        @OptionGroup var options: DirectoryOptions

        func run() async throws {
            let directory = try options.openDirectory(access: .readOnly)
            let revision = try perform { () throws(DirectoryError) in try directory.revision() }
            if options.json { return try options.output.emit(revision) }
            print("replica  \(revision.replicaID)")
            print("records  \(revision.recordCount)")
            print("digest   \(revision.digest)")
            options.output.table(["origin", "latest change"], revision.vector.sortedEntries.map { [$0.origin.rawValue, $0.time.description] })
        }
    }

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Report conflicts left by concurrent writes on different replicas; exit 1 if any.")
        @OptionGroup var options: DirectoryOptions

        func run() async throws {
            let directory = try options.openDirectory(access: .readOnly)
            let problems = try perform { () throws(DirectoryError) in try directory.integrityProblems() }
            if options.json {
                try options.output.emit(problems)
            } else {
                print(problems.isEmpty ? "no problems" : problems.joined(separator: "\n"))
            }
            if !problems.isEmpty { throw ExitCode(1) }
        }
    }

    struct Watch: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the revision each time the directory changes, until interrupted.",
            discussion: "Opens the directory read-only, as the DHCP daemon does, and prints one JSON line per committed change.")
        @OptionGroup var options: DirectoryOptions
        @Option(help: "Milliseconds between checks.") var interval: Int = 200

        func run() async throws {
            guard (10...60_000).contains(interval) else { throw ValidationError("--interval must be in 10...60000") }
            let directory = try options.openDirectory(access: .readOnly)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            for try await _ in directory.commits(every: .milliseconds(interval)) {
                let revision = try perform { () throws(DirectoryError) in try directory.revision() }
                // Written straight to the descriptor: a pipe reader sees each line at once.
                FileHandle.standardOutput.write(try encoder.encode(revision) + Data("\n".utf8))
            }
        }
    }
}
