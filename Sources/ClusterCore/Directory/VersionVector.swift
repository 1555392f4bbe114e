/// For each origin replica, the latest timestamp of its changes that this replica has taken in.
///
/// The replication invariant the directory keeps: for every change ever made at origin `o` with
/// timestamp `t <= vector[o]`, this replica's record for that key is that change or a later one.
/// A peer that sends its vector is therefore sent exactly the records it may lack
/// (`Directory.changes(since:)`), and after applying a whole delta it may merge the sender's
/// vector into its own.
public struct VersionVector: Hashable, Sendable, Codable, CustomStringConvertible {
    public private(set) var entries: [ReplicaID: HybridTimestamp]

    public init(_ entries: [ReplicaID: HybridTimestamp] = [:]) { self.entries = entries }

    public static let empty = VersionVector()

    public subscript(origin: ReplicaID) -> HybridTimestamp {
        entries[origin] ?? .zero
    }

    /// Raises the entry for `origin` to `time` if it is later.
    public mutating func advance(_ origin: ReplicaID, to time: HybridTimestamp) {
        if self[origin] < time { entries[origin] = time }
    }

    /// The entry-wise maximum: what a replica has seen after taking in everything both saw.
    public func merged(with other: VersionVector) -> VersionVector {
        var result = self
        for (origin, time) in other.entries { result.advance(origin, to: time) }
        return result
    }

    /// True when this vector has seen everything `other` has.
    public func dominates(_ other: VersionVector) -> Bool {
        other.entries.allSatisfy { self[$0.key] >= $0.value }
    }

    /// Entries in origin order, for stable output and comparison.
    public var sortedEntries: [(origin: ReplicaID, time: HybridTimestamp)] {
        entries.sorted { $0.key < $1.key }.map { (origin: $0.key, time: $0.value) }
    }

    public var description: String {
        "{" + sortedEntries.map { "\($0.origin):\($0.time)" }.joined(separator: ",") + "}"
    }

    public init(from decoder: any Decoder) throws {
        let raw = try decoder.singleValueContainer().decode([String: Int64].self)
        var entries: [ReplicaID: HybridTimestamp] = [:]
        for (key, value) in raw {
            do {
                entries[try ReplicaID(validating: key)] = HybridTimestamp(rawValue: value)
            } catch {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description))
            }
        }
        self.entries = entries
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(Dictionary(uniqueKeysWithValues: entries.map { ($0.key.rawValue, $0.value.rawValue) }))
    }
}
