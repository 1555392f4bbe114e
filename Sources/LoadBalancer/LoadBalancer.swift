import ArgumentParser
import ClusterCore
import Foundation

/// tc-lbd is not built yet: the command exists so that packaging, systemd units and scripts can
/// name it, and it says so plainly instead of pretending to run.
@main
struct LoadBalancerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tc-lbd",
        abstract: "Load balancer: answers a thin client's username with the least-loaded live server of the user's group.",
        discussion: "Not implemented yet in this version of ThinCluster: it exits with status 2.",
        version: ClusterCoreVersion.string
    )

    @Option(help: ArgumentHelp("Node configuration file.", valueName: "path"))
    var config: String?

    func run() throws {
        FileHandle.standardError.write(Data("tc-lbd: not implemented yet in ThinCluster \(ClusterCoreVersion.string)\n".utf8))
        throw ExitCode(2)
    }
}
