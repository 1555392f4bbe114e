import ArgumentParser
import ClusterCore
import Foundation

/// Options every directory command takes: where the directory is and how to print.
struct DirectoryOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Node configuration file.", valueName: "path"))
    var config: String?

    @Option(name: .long, help: ArgumentHelp("Directory database file (default: the node configuration's directory.path).", valueName: "path"))
    var db: String?

    @Flag(name: .long, help: "Print JSON for scripts instead of tables.")
    var json = false

    /// Opens the directory this invocation works on.
    func openDirectory(access: Directory.Access = .readWrite) throws -> Directory {
        // The configuration is read even with --db: a broken file should be reported, not
        // silently bypassed, and it sets the busy timeout.
        let section: DirectorySection
        do {
            section = try NodeConfig.load(path: config).directory
        } catch {
            throw CommandFailure(error.description)
        }
        do {
            return try Directory.open(path: db ?? section.path, access: access,
                                      busyTimeout: .milliseconds(section.busyTimeoutMilliseconds))
        } catch {
            throw CommandFailure(error.description, exitCode: 3)
        }
    }

    var output: Output { Output(json: json) }
}

/// An error tcctl reports as one line on standard error, with an exit status scripts can test:
/// 1 when the request was refused (invalid, conflict, not found), 3 when storage failed.
struct CommandFailure: Error, CustomStringConvertible {
    var description: String
    var exitCode: Int32 = 1

    init(_ description: String, exitCode: Int32 = 1) {
        self.description = description
        self.exitCode = exitCode
    }

    init(_ error: DirectoryError) {
        self.init(error.description, exitCode: error.code == "internal" ? 3 : 1)
    }
}

extension AsyncParsableCommand {
    /// Runs a directory operation, turning its error into tcctl's one-line message and status.
    func perform<T>(_ body: () throws(DirectoryError) -> T) throws -> T {
        do {
            return try body()
        } catch {
            throw CommandFailure(error)
        }
    }
}

/// Reports a `CommandFailure` the way tcctl does, and exits with its status.
func exitReporting(_ failure: CommandFailure) -> Never {
    FileHandle.standardError.write(Data("tcctl: \(failure.description)\n".utf8))
    exit(failure.exitCode)
}
