import ArgumentParser
import ClusterCore
import Foundation

/// tc-dhcpd is not built yet: the command exists so that packaging, systemd units and scripts can
/// name it, and it says so plainly instead of pretending to run.
@main
struct DHCPdCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tc-dhcpd",
        abstract: "DHCPv4 server with the cluster's static MAC to IP bindings, naming this server as TFTP and NFS-root server.",
        discussion: "Not implemented yet in this version of ThinCluster: it exits with status 2.",
        version: ClusterCoreVersion.string
    )

    @Option(help: ArgumentHelp("Node configuration file.", valueName: "path"))
    var config: String?

    func run() throws {
        FileHandle.standardError.write(Data("tc-dhcpd: not implemented yet in ThinCluster \(ClusterCoreVersion.string)\n".utf8))
        throw ExitCode(2)
    }
}
