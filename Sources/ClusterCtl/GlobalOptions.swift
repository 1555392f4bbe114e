import ArgumentParser
import ClusterCore
import Foundation

/// Options every directory command takes: where the directory is, how to reach the cluster, and
/// how to print.
///
/// Without `--lb` (and without `cluster.loadBalancers` in the node configuration), commands work
/// on the local directory file (`--db`, or `directory.path`). With load balancers, they are sent
/// signed to the first that answers, which applies them and replicates them to the others.
struct DirectoryOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Node configuration file.", valueName: "path"))
    var config: String?

    @Option(name: .long, help: ArgumentHelp("Directory database file (default: the node configuration's directory.path).", valueName: "path"))
    var db: String?

    @Option(name: .long, help: ArgumentHelp("Load balancers' admin endpoints, tried in order (default: cluster.loadBalancers).", valueName: "host:port,..."))
    var lb: String?

    @Option(name: .customLong("key-file"), help: ArgumentHelp("Cluster key file (default: node.clusterKeyFile).", valueName: "path"))
    var keyFile: String?

    @Option(name: .customLong("health-port"), help: ArgumentHelp("The health agents' port, for drain and lb start|stop (default: loadBalancer.healthPort).", valueName: "port"))
    var healthPort: UInt16?

    @Option(help: ArgumentHelp("Seconds to wait for one load balancer.", valueName: "seconds"))
    var timeout: Double = 5

    @Flag(name: .long, help: "Print JSON for scripts instead of tables.")
    var json = false

    var output: Output { Output(json: json) }

    /// The health agent of a server, where drain and service commands go.
    func healthAgent(of server: Server) throws -> Endpoint {
        Endpoint(host: server.address, port: try healthPort ?? UInt16(loadConfig().loadBalancer.healthPort))
    }

    func loadConfig() throws -> NodeConfig {
        do { return try NodeConfig.load(path: config) } catch { throw CommandFailure(error.description, exitCode: 78) }
    }

    /// Where this invocation's directory commands go.
    func target(access: Directory.Access = .readWrite) throws -> DirectoryTarget {
        let configuration = try loadConfig()
        var endpoints = configuration.cluster.loadBalancers
        if let lb {
            endpoints = try lb.split(separator: ",").map { text in
                do { return try Endpoint(parsing: String(text).trimmingCharacters(in: .whitespaces)) } catch {
                    throw ValidationError("--lb: \(error)")
                }
            }
        }
        if db == nil, !endpoints.isEmpty {
            let keyPath = keyFile ?? configuration.node.clusterKeyFile
            let key: ClusterKey
            do { key = try ClusterKey.load(path: keyPath) } catch { throw CommandFailure(error.description, exitCode: 78) }
            guard timeout > 0, timeout <= 600 else { throw ValidationError("--timeout must be in (0, 600]") }
            return .remote(AdminClient(endpoints: endpoints, key: key, timeout: .milliseconds(Int(timeout * 1000))))
        }
        do {
            let directory = try Directory.open(path: db ?? configuration.directory.path, access: access,
                                               busyTimeout: .milliseconds(configuration.directory.busyTimeoutMilliseconds))
            return .local(directory)
        } catch {
            throw CommandFailure(error.description, exitCode: 3)
        }
    }

    /// Runs one directory command wherever this invocation points, and prints its result.
    func run(_ command: DirectoryCommand) async throws {
        let result = try await target(access: command.isWrite ? .readWrite : .readOnly).execute(command)
        try output.print(result)
    }
}

/// An error tcctl reports as one line on standard error, with an exit status scripts can test:
/// 1 when the request was refused (invalid, conflict, not found), 3 when storage failed, 4 when
/// no load balancer could be reached, 78 for a bad configuration or key file.
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

/// Reports a `CommandFailure` the way tcctl does, and exits with its status.
func exitReporting(_ failure: CommandFailure) -> Never {
    FileHandle.standardError.write(Data("tcctl: \(failure.description)\n".utf8))
    exit(failure.exitCode)
}
