/// `protocol`: limits of the line protocol that tc-lbd serves and tcctl and tc-login speak.
public struct ProtocolSection: Codable, Sendable, Equatable, ConfigSection {
    /// The longest request or response line accepted, in bytes, the line terminator not counted.
    /// Default 8192; 256...1048576. A peer that sends a longer line is cut off rather than
    /// buffered without bound, so one connection cannot pin more than this much memory.
    public var maxLineLength: Int
    /// How long a connection may stay silent before it is closed, in seconds.
    /// Default 30; 1...3600. A silent connection still holds a socket and a buffer; the timeout
    /// bounds what stalled or vanished clients cost the load balancer.
    public var idleTimeoutSeconds: Int
    /// How far an admin command's timestamp may be from this node's clock, in seconds.
    /// Default 30; 1...600. Bounds how long a captured admin command can be replayed, while
    /// tolerating clocks that NTP has not yet pulled together.
    public var adminClockSkewSeconds: Int

    enum CodingKeys: String, CodingKey, CaseIterable {
        case maxLineLength, idleTimeoutSeconds, adminClockSkewSeconds
    }

    public init(maxLineLength: Int = 8192, idleTimeoutSeconds: Int = 30, adminClockSkewSeconds: Int = 30) {
        self.maxLineLength = maxLineLength
        self.idleTimeoutSeconds = idleTimeoutSeconds
        self.adminClockSkewSeconds = adminClockSkewSeconds
    }

    init(reading keys: ConfigKeyReader<CodingKeys>, defaults: ProtocolSection) throws {
        maxLineLength = try keys.read(.maxLineLength, default: defaults.maxLineLength, rule: .integer(in: 256...1_048_576))
        idleTimeoutSeconds = try keys.read(.idleTimeoutSeconds, default: defaults.idleTimeoutSeconds, rule: .integer(in: 1...3600))
        adminClockSkewSeconds = try keys.read(
            .adminClockSkewSeconds, default: defaults.adminClockSkewSeconds, rule: .integer(in: 1...600)
        )
    }

    public init(from decoder: any Decoder) throws {
        try self.init(reading: ConfigKeyReader(decoder), defaults: ProtocolSection())
    }
}
