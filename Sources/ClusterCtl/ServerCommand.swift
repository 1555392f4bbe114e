import ArgumentParser
import ClusterCore
import Foundation

struct ServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "server", abstract: "Add, change, drain, remove and list the cluster's servers.",
        subcommands: [Add.self, Remove.self, List.self, Show.self, Set.self, Drain.self, Undrain.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a server.")
        @OptionGroup var options: DirectoryOptions
        @Argument(help: "Server name (a host name).") var name: String
        @Option(help: "Address thin clients and load balancers use (IP or DNS name).") var address: String
        @Option(help: "Comma-separated roles: session, boot, balancer.") var roles: String = "session"
        @Option(help: "Relative capacity, 1...1000.") var weight: Int = 1

        func run() async throws {
            try await options.run(.addServer(Server(name: name, address: address, roles: try parseRoles(roles), weight: weight)))
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a server.")
        @OptionGroup var options: DirectoryOptions
        @Argument var name: String
        @Flag(help: "Also take the server out of the groups it belongs to.") var force = false

        func run() async throws { try await options.run(.removeServer(name: name, force: force)) }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List servers.")
        @OptionGroup var options: DirectoryOptions

        func run() async throws { try await options.run(.listServers) }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one server and the groups it serves.")
        @OptionGroup var options: DirectoryOptions
        @Argument var name: String

        func run() async throws { try await options.run(.showServer(name: name)) }
    }

    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Change a server's address, roles, weight or state.")
        @OptionGroup var options: DirectoryOptions
        @Argument var name: String
        @Option var address: String?
        @Option(help: "Comma-separated roles: session, boot, balancer.") var roles: String?
        @Option var weight: Int?
        @Option(help: "active, draining or disabled.") var state: ServerState?

        func run() async throws {
            guard address != nil || roles != nil || weight != nil || state != nil else {
                throw ValidationError("nothing to change: give --address, --roles, --weight or --state")
            }
            try await options.run(.updateServer(ServerUpdate(name: name, address: address, roles: try roles.map(parseRoles),
                                                             weight: weight, state: state)))
        }
    }

    struct Drain: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Stop sending new sessions to a server; running sessions stay.",
            discussion: "Sets the server's state to draining in the directory (every load balancer honours it) and, when the cluster is reachable, tells the server's health agent too.")
        @OptionGroup var options: DirectoryOptions
        @Argument var name: String

        func run() async throws { try await setDrained(true, name: name, options: options) }
    }

    struct Undrain: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Let a drained server take new sessions again.")
        @OptionGroup var options: DirectoryOptions
        @Argument var name: String

        func run() async throws { try await setDrained(false, name: name, options: options) }
    }
}

/// Drains or undrains in the directory, then at the server's health agent (best effort: the
/// directory state alone is enough for the load balancers).
func setDrained(_ drained: Bool, name: String, options: DirectoryOptions) async throws {
    let target = try options.target()
    let result = try await target.execute(.updateServer(ServerUpdate(name: name, state: drained ? .draining : .active)))
    try options.output.print(result)
    guard case let .remote(client) = target,
          case let .server(server, _) = try await target.execute(.showServer(name: name)) else { return }
    let agent = try options.healthAgent(of: server)
    do {
        _ = try await client.send(verb: drained ? HealthVerb.drain : HealthVerb.undrain, [], to: agent)
    } catch let failure as CommandFailure {
        FileHandle.standardError.write(Data("tcctl: note: the health agent at \(agent) was not told: \(failure.description)\n".utf8))
    }
}

extension ServerState: ExpressibleByArgument {}

func parseRoles(_ text: String) throws -> [ServerRole] {
    try text.split(separator: ",").map { part in
        guard let role = ServerRole(rawValue: part.trimmingCharacters(in: .whitespaces)) else {
            throw ValidationError("unknown role '\(part)': expected session, boot or balancer")
        }
        return role
    }
}
