import ArgumentParser
import ClusterCore
import Foundation

/// `tcctl lb start|stop NODE`: starts or stops the load balancer on a node, through the node's
/// health agent (which runs its configured service command, systemctl by default).
struct BalancerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lb", abstract: "Start or stop the load balancer (tc-lbd) on a node.",
        subcommands: [Start.self, Stop.self])

    struct Start: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Start tc-lbd on a node.")
        @OptionGroup var options: DirectoryOptions
        @Argument(help: "The node's server name in the directory.") var node: String
        @Option(help: "The service to start.") var service = "tc-lbd"

        func run() async throws { try await controlService("start", node: node, service: service, options: options) }
    }

    struct Stop: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop tc-lbd on a node.")
        @OptionGroup var options: DirectoryOptions
        @Argument(help: "The node's server name in the directory.") var node: String
        @Option(help: "The service to stop.") var service = "tc-lbd"

        func run() async throws { try await controlService("stop", node: node, service: service, options: options) }
    }
}

/// Finds the node's address in the directory (through a load balancer, or the local file) and
/// sends the signed `SERVICE` verb to its health agent.
func controlService(_ action: String, node: String, service: String, options: DirectoryOptions) async throws {
    let configuration = try options.loadConfig()
    let target = try options.target(access: .readOnly)
    guard case let .server(server, _) = try await target.execute(.showServer(name: node)) else {
        throw CommandFailure("unexpected answer looking up \(node)")
    }
    let key: ClusterKey
    do { key = try ClusterKey.load(path: options.keyFile ?? configuration.node.clusterKeyFile) } catch {
        throw CommandFailure(error.description, exitCode: 78)
    }
    let agent = try options.healthAgent(of: server)
    let client = AdminClient(endpoints: [agent], key: key, timeout: .seconds(40))
    let words = try await client.send(verb: HealthVerb.service, [action, service])
    try options.output.print(.done(words.isEmpty ? "\(service) \(action)ed on \(node)" : "\(node): " + words.joined(separator: " ")))
}
