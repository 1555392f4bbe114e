import ClusterCore

/// The load balancers tc-login asks, in the order it asks them, and where the list came from.
///
/// The paper's thin client reads "a configuration file which lists IP addresses of all the Load
/// balancers in the cluster" and tries them in turn (section 6, step 1). Here the list comes
/// from, in order of precedence: the `--lb` option, `login.loadBalancers` in the node
/// configuration, or the file `login.loadBalancersFile` that the boot scripts write from DHCP.
struct LoadBalancerList: Equatable, Sendable {
    /// Where a list was found, for the log line at start and for error messages.
    enum Source: Equatable, Sendable, CustomStringConvertible {
        /// The `--lb` option.
        case option
        /// `login.loadBalancers` in this configuration file.
        case configuration(path: String)
        /// The file written at boot from the DHCP option.
        case file(path: String)

        var description: String {
            switch self {
            case .option: return "--lb"
            case .configuration(let path): return "login.loadBalancers in \(path)"
            case .file(let path): return path
            }
        }
    }

    /// The port of the load balancer's thin-client listener when an entry names none.
    static let defaultPort: UInt16 = 7700

    /// Tried in this order; never empty, and without repeats.
    var endpoints: [Endpoint]
    /// Where they came from.
    var source: Source

    /// One entry: `host:port`, `[v6-address]:port`, or a bare `host` / `[v6-address]` meaning
    /// port 7700. A DHCP option carries addresses without ports, so the file written from it is
    /// a list of bare addresses; an unbracketed IPv6 address is refused, because `fd00::1:7700`
    /// could be an address or an address and a port.
    static func parseEntry(_ text: String) throws(EndpointError) -> Endpoint {
        guard !text.isEmpty else { throw .empty }
        let isBareIPv6 = text.hasPrefix("[") && text.hasSuffix("]")
        let hasPort = !isBareIPv6 && text.contains(":")
        return try Endpoint(parsing: hasPort ? text : "\(text):\(defaultPort)")
    }

    /// The `--lb` option: entries separated by commas, spaces around them ignored.
    static func parseOption(_ text: String) throws(LoginSetupError) -> [Endpoint] {
        var endpoints = [Endpoint]()
        for entry in text.split(separator: ",", omittingEmptySubsequences: false) {
            let trimmed = entry.trimmingWhitespace()
            do {
                endpoints.append(try parseEntry(trimmed))
            } catch {
                throw .badLoadBalancerOption(reason: reason(trimmed, error))
            }
        }
        return distinct(endpoints)
    }

    /// The boot-time file: one entry per line; `#` starts a comment; blank lines are skipped.
    /// A line that is not an address fails the whole file with its number, rather than being
    /// skipped: a half-read list would hide a broken boot script until the first load balancer
    /// goes down.
    static func parseFile(_ text: String, path: String) throws(LoginSetupError) -> [Endpoint] {
        var endpoints = [Endpoint]()
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let content = line.prefix { $0 != "#" }.trimmingWhitespace()
            guard !content.isEmpty else { continue }
            do {
                endpoints.append(try parseEntry(content))
            } catch {
                throw .badLoadBalancerLine(path: path, line: index + 1, reason: reason(content, error))
            }
        }
        return distinct(endpoints)
    }

    /// Why `entry` was refused, naming the entry as written: `EndpointError` would name it with
    /// the default port that `parseEntry` appended, which the administrator never wrote.
    static func reason(_ entry: String, _ error: EndpointError) -> String {
        let why: String
        switch error {
        case .empty: why = "it is empty"
        case .invalidCharacter: why = "it contains a space, control character, stray bracket or '/'"
        case .invalidHost, .emptyHost: why = "the host must be an IPv4 or IPv6 address or a DNS name"
        case .invalidPort, .missingPort: why = "the port must be 1-65535 in decimal digits"
        case .unbracketedIPv6, .bracketedNonIPv6, .unclosedBracket: why = "write an IPv6 address in brackets, e.g. [fd00::1]"
        }
        return "\"\(entry)\" is not a load balancer address: \(why); expected host, host:port, [ipv6-address] or [ipv6-address]:port"
    }

    /// The first occurrence of each endpoint, in order: a DHCP option that names a load
    /// balancer twice should not make tc-login wait for it twice.
    static func distinct(_ endpoints: [Endpoint]) -> [Endpoint] {
        var seen = Set<Endpoint>()
        return endpoints.filter { seen.insert($0).inserted }
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces, tabs and line ends (a file written on
    /// another system may end its lines with CR LF).
    func trimmingWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" }
        return String(drop(while: isSpace).reversed().drop(while: isSpace).reversed())
    }
}
