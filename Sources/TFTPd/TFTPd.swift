import ArgumentParser
import ClusterCore
import Foundation

/// tc-tftpd is not built yet: the command exists so that packaging, systemd units and scripts can
/// name it, and it says so plainly instead of pretending to run.
@main
struct TFTPdCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tc-tftpd",
        abstract: "Read-only TFTP server for kernels and boot files.",
        discussion: "Not implemented yet in this version of ThinCluster: it exits with status 2.",
        version: ClusterCoreVersion.string
    )

    @Option(help: ArgumentHelp("Node configuration file.", valueName: "path"))
    var config: String?

    func run() throws {
        FileHandle.standardError.write(Data("tc-tftpd: not implemented yet in ThinCluster \(ClusterCoreVersion.string)\n".utf8))
        throw ExitCode(2)
    }
}
