import ArgumentParser
import ClusterCore
import Foundation

/// tc-login is not built yet: the command exists so that packaging, systemd units and scripts can
/// name it, and it says so plainly instead of pretending to run.
@main
struct TCLoginCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tc-login",
        abstract: "Thin-client login loop: asks for a username, asks the load balancers, opens the X session.",
        discussion: "Not implemented yet in this version of ThinCluster: it exits with status 2.",
        version: ClusterCoreVersion.string
    )

    @Option(help: ArgumentHelp("Node configuration file.", valueName: "path"))
    var config: String?

    func run() throws {
        FileHandle.standardError.write(Data("tc-login: not implemented yet in ThinCluster \(ClusterCoreVersion.string)\n".utf8))
        throw ExitCode(2)
    }
}
