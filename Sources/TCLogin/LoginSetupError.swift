import ClusterCore

/// Why tc-login cannot start its loop; printed as one line, then tc-login exits.
///
/// Exit statuses follow sysexits(3), so that the script running tc-login can tell a typo on its
/// own command line (64, EX_USAGE) from a thin client that was set up wrongly (78, EX_CONFIG).
enum LoginSetupError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The node configuration could not be loaded.
    case configuration(ConfigError)
    /// An entry of `--lb` is not an address.
    case badLoadBalancerOption(reason: String)
    /// A line of the load-balancer file is not an address.
    case badLoadBalancerLine(path: String, line: Int, reason: String)
    /// The load-balancer file exists but cannot be read.
    case unreadableLoadBalancerFile(path: String, reason: String)
    /// No load balancer anywhere; `lookedIn` says what each place held, in precedence order.
    case noLoadBalancers(lookedIn: [String])
    /// `--display-command` is empty or lacks `{server}`.
    case badDisplayCommand(String)

    /// EX_USAGE for the command line, EX_CONFIG for everything the thin client's setup provides.
    var exitCode: Int32 {
        switch self {
        case .badLoadBalancerOption, .badDisplayCommand: return 64
        case .configuration, .badLoadBalancerLine, .unreadableLoadBalancerFile, .noLoadBalancers: return 78
        }
    }

    var description: String {
        switch self {
        case .configuration(let error):
            return error.description
        case .badLoadBalancerOption(let reason):
            return "--lb: \(reason)"
        case let .badLoadBalancerLine(path, line, reason):
            return "\(path):\(line): \(reason)"
        case let .unreadableLoadBalancerFile(path, reason):
            return "\(path): cannot read the load-balancer list: \(reason)"
        case .noLoadBalancers(let places):
            return "no load balancer to ask: " + places.joined(separator: "; ")
                + ". Give --lb host:port, set login.loadBalancers, or have the boot scripts write the file"
        case .badDisplayCommand(let reason):
            return "--display-command: \(reason)"
        }
    }
}
