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
            let directory = try options.openDirectory()
            let host = try perform { () throws(DirectoryError) in
                let host = ThinClientHost(mac: try MACAddress(parsing: mac), ip: ip, hostname: hostname, profile: profile)
                try directory.addHost(host)
                return host
            }
            try options.output.done("added host \(host.hostname) \(host.mac) -> \(host.ip)", ["mac": host.mac.description])
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a thin client.")
        @OptionGroup var options: DirectoryOptions
        @Argument var mac: String

        func run() async throws {
            let directory = try options.openDirectory()
            let address = try perform { () throws(DirectoryError) in
                let address = try MACAddress(parsing: mac)
                try directory.removeHost(mac: address)
                return address
            }
            try options.output.done("removed host \(address)", ["mac": address.description])
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List thin clients.")
        @OptionGroup var options: DirectoryOptions

        func run() async throws {
            let directory = try options.openDirectory(access: .readOnly)
            let hosts = try perform { () throws(DirectoryError) in try directory.hosts() }
            if options.json { return try options.output.emit(hosts) }
            options.output.table(["mac", "ip", "hostname", "profile"], hosts.map {
                [$0.mac.description, $0.ip, $0.hostname, $0.profile ?? "-"]
            })
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one thin client and whether DHCP serves it.")
        @OptionGroup var options: DirectoryOptions
        @Argument var mac: String

        func run() async throws {
            let directory = try options.openDirectory(access: .readOnly)
            let (host, served) = try perform { () throws(DirectoryError) in
                let address = try MACAddress(parsing: mac)
                guard let host = try directory.host(mac: address) else { throw .notFound(kind: "host", name: address.description) }
                return (host, try directory.binding(for: address) != nil)
            }
            if options.json { return try options.output.emit(HostDetail(host: host, served: served)) }
            options.output.table(["field", "value"], [
                ["mac", host.mac.description], ["ip", host.ip], ["hostname", host.hostname],
                ["profile", host.profile ?? "-"],
                ["served", served ? "yes" : "no: its address or name is claimed by an older record (tcctl directory check)"],
            ])
        }
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
            let directory = try options.openDirectory()
            let host = try perform { () throws(DirectoryError) in
                try directory.updateHost(mac: try MACAddress(parsing: mac)) { host in
                    if let ip { host.ip = ip }
                    if let hostname { host.hostname = hostname }
                    if let profile { host.profile = profile.isEmpty ? nil : profile }
                }
            }
            try options.output.done("host \(host.mac): \(host.ip) \(host.hostname) \(host.profile ?? "-")", ["mac": host.mac.description])
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import thin clients from CSV (mac,ip,hostname[,profile]), all or nothing.")
        @OptionGroup var options: DirectoryOptions
        @Argument(help: "CSV file, or - for standard input.") var file: String
        @Flag(help: "Update existing hosts instead of refusing them.") var update = false

        func run() async throws {
            let text = try readInput(file)
            let directory = try options.openDirectory()
            let summary = try perform { () throws(DirectoryError) in try directory.importHosts(csv: text, mode: update ? .upsert : .createOnly) }
            if options.json { return try options.output.emit(summary) }
            print("imported hosts: \(summary.created) created, \(summary.updated) updated, \(summary.unchanged) unchanged")
        }
    }
}

struct HostDetail: Encodable {
    var host: ThinClientHost
    var served: Bool
}
