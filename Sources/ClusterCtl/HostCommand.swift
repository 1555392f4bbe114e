import ArgumentParser
import ClusterCore

struct HostCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "host", abstract: "Manage thin clients and their fixed addresses.",
        subcommands: [Add.self, Remove.self, List.self, Show.self, Set.self, Import.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a thin client.")
        @OptionGroup var options: DirectoryOptions
        @Argument(help: "MAC address (aa:bb:cc:dd:ee:ff, aa-bb-..., aabb.ccdd.eeff).") var mac: String
        @Option(help: "Fixed IPv4 address.") var ip: String
        @Option(help: "Host name.") var hostname: String
        @Option(help: "Boot profile (default: the cluster's).") var profile: String?

        func run() async throws {
            let address: MACAddress
            do { address = try MACAddress(parsing: mac) } catch { throw CommandFailure(error) }
            try await options.run(.addHost(ThinClientHost(mac: address, ip: ip, hostname: hostname, profile: profile)))
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a thin client.")
        @OptionGroup var options: DirectoryOptions
        @Argument var mac: String

        func run() async throws { try await options.run(.removeHost(mac: mac)) }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List thin clients.")
        @OptionGroup var options: DirectoryOptions

        func run() async throws { try await options.run(.listHosts) }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one thin client and whether DHCP serves it.")
        @OptionGroup var options: DirectoryOptions
        @Argument var mac: String

        func run() async throws { try await options.run(.showHost(mac: mac)) }
    }

    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Change a thin client's address, name or profile.")
        @OptionGroup var options: DirectoryOptions
        @Argument var mac: String
        @Option var ip: String?
        @Option var hostname: String?
        @Option(help: "Boot profile; an empty value returns to the cluster's default.") var profile: String?

        func run() async throws {
            guard ip != nil || hostname != nil || profile != nil else {
                throw ValidationError("nothing to change: give --ip, --hostname or --profile")
            }
            try await options.run(.updateHost(HostUpdate(mac: mac, ip: ip, hostname: hostname, profile: profile)))
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import thin clients from CSV (mac,ip,hostname[,profile]), all or nothing.")
        @OptionGroup var options: DirectoryOptions
        @Argument(help: "CSV file, or - for standard input.") var file: String
        @Flag(help: "Update existing hosts instead of refusing them.") var update = false

        func run() async throws { try await options.run(.importHosts(csv: try readInput(file), update: update)) }
    }
}
