import ArgumentParser
import ClusterCore
import Foundation

struct KeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "key", abstract: "The cluster key that authenticates admin and replication traffic.",
        subcommands: [Generate.self])

    struct Generate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a new random cluster key (mode 0600); copy it to every node.")
        @Option(name: .long, help: ArgumentHelp("Node configuration file.", valueName: "path")) var config: String?
        @Option(help: "Where to write the key (default: the node configuration's node.clusterKeyFile).") var out: String?
        @Flag(help: "Replace an existing key file.") var force = false

        func run() async throws {
            let path: String
            if let out {
                path = out
            } else {
                do { path = try NodeConfig.load(path: config).node.clusterKeyFile } catch { throw CommandFailure(error.description) }
            }
            let parent = (path as NSString).deletingLastPathComponent
            if !parent.isEmpty, !FileManager.default.fileExists(atPath: parent) {
                try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            }
            do {
                try ClusterKey.generate().write(to: path, overwrite: force)
            } catch {
                throw CommandFailure(error.description)
            }
            print("wrote a new cluster key to \(path)")
        }
    }
}
