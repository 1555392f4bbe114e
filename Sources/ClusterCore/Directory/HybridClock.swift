/// A hybrid logical clock timestamp (Kulkarni et al., "Logical Physical Clocks", 2014).
///
/// The upper 48 bits are milliseconds since the Unix epoch, the lower 16 a counter that orders
/// events within one millisecond or while the wall clock lags behind a timestamp already seen.
/// Last-writer-wins needs timestamps that respect causality: a replica that has seen a change
/// stamps its own later changes higher, even if its wall clock is behind, so "remove after add"
/// always wins over the add it followed. Being close to wall time keeps "last" meaningful for
/// concurrent writes from different replicas.
public struct HybridTimestamp: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: Int64

    public init(rawValue: Int64) { self.rawValue = rawValue }

    public init(milliseconds: Int64, counter: UInt16) {
        self.rawValue = milliseconds << 16 | Int64(counter)
    }

    public static let zero = HybridTimestamp(rawValue: 0)

    public var milliseconds: Int64 { rawValue >> 16 }
    public var counter: UInt16 { UInt16(truncatingIfNeeded: rawValue & 0xFFFF) }

    public static func < (lhs: HybridTimestamp, rhs: HybridTimestamp) -> Bool { lhs.rawValue < rhs.rawValue }

    public var description: String { "\(milliseconds).\(counter)" }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(Int64.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// The clock rule, kept pure: the directory stores the last timestamp it issued or received
/// in the database itself, so that several processes writing the same file (tcctl and tc-lbd)
/// share one clock, and a restart never goes backwards.
public enum HybridClock {
    /// The next timestamp for a local event: strictly after `last`, and at wall time when the
    /// wall clock is ahead.
    public static func tick(after last: HybridTimestamp, wallMilliseconds: Int64) -> HybridTimestamp {
        if wallMilliseconds > last.milliseconds {
            return HybridTimestamp(milliseconds: wallMilliseconds, counter: 0)
        }
        if last.counter == UInt16.max {
            return HybridTimestamp(milliseconds: last.milliseconds + 1, counter: 0)
        }
        return HybridTimestamp(milliseconds: last.milliseconds, counter: last.counter + 1)
    }

    /// What the clock remembers after receiving a remote timestamp: the later of the two.
    public static func receive(_ remote: HybridTimestamp, last: HybridTimestamp) -> HybridTimestamp {
        max(remote, last)
    }
}

/// When a change happened and where: the last-writer-wins order of the directory. Equal
/// timestamps from different replicas are ordered by replica id, so every replica picks the
/// same winner.
public struct Stamp: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let time: HybridTimestamp
    public let origin: ReplicaID

    public init(time: HybridTimestamp, origin: ReplicaID) {
        self.time = time
        self.origin = origin
    }

    public static func < (lhs: Stamp, rhs: Stamp) -> Bool {
        (lhs.time, lhs.origin.rawValue) < (rhs.time, rhs.origin.rawValue)
    }

    public var description: String { "\(time)@\(origin)" }
}
