import Foundation
import ArgumentParser
import ClusterCore

struct ServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "server", abstract: "Add, change, remove and list the cluster's servers.",
        subcommands: [Add.self, Remove.self, List.self, Show.self, Set.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a server.")
        @OptionGroup var options: DirectoryOptions
        @Argument(help: "Server name (a host name).") var name: String
        @Option(help: "Address thin clients and load balancers use (IP or DNS name).") var address: String
        @Option(help: "Comma-separated roles: session, boot, balancer.") var roles: String = "session"
        @Option(help: "Relative capacity, 1...1000.") var weight: Int = 1

        func run() async throws {
            let server = Server(name: name, address: address, roles: try parseRoles(roles), weight: weight)
            let directory = try options.openDirectory()
            try perform { () throws(DirectoryError) in try directory.addServer(server) }
            try options.output.done("added server \(name) (\(address))", ["server": name])
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a server.")
        @OptionGroup var options: DirectoryOptions
        @Argument var name: String
        @Flag(help: "Also take the server out of the groups it belongs to.") var force = false

        func run() async throws {
            let directory = try options.openDirectory()
            try perform { () throws(DirectoryError) in try directory.removeServer(named: name, force: force) }
            try options.output.done("removed server \(name)", ["server": name])
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List servers.")
        @OptionGroup var options: DirectoryOptions

        func run() async throws {
            let directory = try options.openDirectory(access: .readOnly)
            let servers = try perform { () throws(DirectoryError) in try directory.servers() }
            if options.json { return try options.output.emit(servers) }
            options.output.table(["name", "address", "roles", "weight", "state"], servers.map {
                [$0.name, $0.address, $0.roles.map(\.rawValue).joined(separator: ","), String($0.weight), $0.state.rawValue]
            })
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one server and the groups it serves.")
        @OptionGroup var options: DirectoryOptions
        @Argument var name: String

        func run() async throws {
            let directory = try options.openDirectory(access: .readOnly)
            let (server, groups) = try perform { () throws(DirectoryError) in
                guard let server = try directory.server(named: name) else { throw .notFound(kind: "server", name: name) }
                return (server, try directory.groups().filter { $0.servers.contains(name) }.map(\.name))
            }
            if options.json { return try options.output.emit(ServerDetail(server: server, groups: groups)) }
            options.output.table(["field", "value"], [
                ["name", server.name], ["address", server.address],
                ["roles", server.roles.map(\.rawValue).joined(separator: ",")],
                ["weight", String(server.weight)], ["state", server.state.rawValue],
                ["groups", groups.joined(separator: ",")],
            ])
        }
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
            let newRoles = try roles.map(parseRoles)
            let directory = try options.openDirectory()
            let server = try perform { () throws(DirectoryError) in
                try directory.updateServer(named: name) { server in
                    if let address { server.address = address }
                    if let newRoles { server.roles = newRoles }
                    if let weight { server.weight = weight }
                    if let state { server.state = state }
                }
            }
            try options.output.done("server \(name): \(server.address) \(server.roles.map(\.rawValue).joined(separator: ",")) weight \(server.weight) \(server.state.rawValue)", ["server": name])
        }
    }
}

extension ServerState: ExpressibleByArgument {}

struct ServerDetail: Encodable {
    var server: Server
    var groups: [String]
}

func parseRoles(_ text: String) throws -> [ServerRole] {
    try text.split(separator: ",").map { part in
        guard let role = ServerRole(rawValue: part.trimmingCharacters(in: .whitespaces)) else {
            throw ValidationError("unknown role '\(part)': expected session, boot or balancer")
        }
        return role
    }
}
