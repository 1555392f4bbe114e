import ArgumentParser
import ClusterCore

/// tcctl: the cluster manager. Every directory command works on the node's directory file
/// (`--db`, or the path in the node configuration); the same commands will reach a running
/// load balancer once the cluster's daemons serve the admin protocol.
@main
struct TCCtl: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tcctl",
        abstract: "Manage a ThinCluster: servers, user groups, users, thin clients and settings.",
        version: ClusterCoreVersion.string,
        subcommands: [
            ServerCommand.self, GroupCommand.self, UserCommand.self, HostCommand.self,
            SettingCommand.self, DirectoryReplicaCommand.self, StatusCommand.self, BalancerCommand.self, KeyCommand.self, DemoCommand.self,
        ]
    )
}

extension TCCtl {
    /// Parses and runs the command, printing refusals as `tcctl: <reason>` with tcctl's exit
    /// status; usage errors keep ArgumentParser's message and status 64.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let failure as CommandFailure {
            exitReporting(failure)
        } catch {
            exit(withError: error)
        }
    }
}
