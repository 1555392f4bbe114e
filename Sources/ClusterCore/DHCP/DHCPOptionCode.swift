/// A DHCPv4 option code: the one table of the codes ThinCluster reads or writes (RFC 2132 unless
/// noted). Unknown codes are carried through as they are.
public struct DHCPOptionCode: RawRepresentable, Hashable, Sendable, Comparable, CustomStringConvertible {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public init(_ rawValue: UInt8) { self.rawValue = rawValue }

    /// Framing, never stored as options: pad (§3.1) and end (§3.2).
    public static let pad = DHCPOptionCode(0)
    public static let end = DHCPOptionCode(255)

    public static let subnetMask = DHCPOptionCode(1)                // §3.3
    public static let router = DHCPOptionCode(3)                    // §3.5
    public static let domainNameServer = DHCPOptionCode(6)          // §3.8
    public static let hostName = DHCPOptionCode(12)                 // §3.14
    public static let domainName = DHCPOptionCode(15)               // §3.17
    public static let rootPath = DHCPOptionCode(17)                 // §3.19
    public static let requestedIPAddress = DHCPOptionCode(50)       // §9.1
    public static let leaseTime = DHCPOptionCode(51)                // §9.2
    public static let overload = DHCPOptionCode(52)                 // §9.3
    public static let messageType = DHCPOptionCode(53)              // §9.6
    public static let serverIdentifier = DHCPOptionCode(54)         // §9.7
    public static let parameterRequestList = DHCPOptionCode(55)     // §9.8
    public static let maximumMessageSize = DHCPOptionCode(57)       // §9.10
    public static let renewalTime = DHCPOptionCode(58)              // §9.11, T1
    public static let rebindingTime = DHCPOptionCode(59)            // §9.12, T2
    public static let vendorClassIdentifier = DHCPOptionCode(60)    // §9.13
    public static let clientIdentifier = DHCPOptionCode(61)         // §9.14
    public static let tftpServerName = DHCPOptionCode(66)           // §9.4
    public static let bootFileName = DHCPOptionCode(67)             // §9.5
    public static let userClass = DHCPOptionCode(77)                // RFC 3004
    public static let relayAgentInformation = DHCPOptionCode(82)    // RFC 3046
    public static let clientSystemArchitecture = DHCPOptionCode(93) // RFC 4578 §2.1

    public var description: String { String(rawValue) }
    public static func < (lhs: DHCPOptionCode, rhs: DHCPOptionCode) -> Bool { lhs.rawValue < rhs.rawValue }
}
