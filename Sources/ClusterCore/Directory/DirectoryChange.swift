/// The kinds of record the directory replicates. Each kind has its own key space.
public enum RecordKind: String, Codable, CaseIterable, Sendable, Comparable {
    /// Key: server name.
    case server
    /// Key: group name.
    case group
    /// Key: `group/server`. Membership is its own record so that two administrators adding
    /// different servers to a group at once both win (an add-wins set per element), where one
    /// record per group would keep only the last writer's list.
    case member
    /// Key: username.
    case user
    /// Key: canonical MAC address.
    case host
    /// Key: setting name.
    case setting

    public static func < (lhs: RecordKind, rhs: RecordKind) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// One replicated record as it travels between replicas: the full state of one key, not an
/// operation. Applying it is idempotent and commutative: the record with the later stamp wins,
/// whatever order and however often changes arrive.
public struct DirectoryChange: Codable, Equatable, Sendable {
    public var kind: RecordKind
    public var key: String
    public var stamp: Stamp
    /// The record's canonical JSON, or nil for a deletion (a tombstone, kept so that a late copy
    /// of the deleted record cannot bring it back).
    public var value: String?

    public init(kind: RecordKind, key: String, stamp: Stamp, value: String?) {
        self.kind = kind
        self.key = key
        self.stamp = stamp
        self.value = value
    }

    public var isDeletion: Bool { value == nil }
}

/// A batch of changes from one replica, with the version vector the receiver may merge once it
/// has applied the whole batch.
///
/// A delta made by `changes(since:)` covers the sender's vector at the time it was read. A push of
/// single fresh writes covers nothing (`.empty`): the receiver takes the records but learns its
/// vector only from a complete delta, so a lost push is repaired by the next anti-entropy pull.
public struct DirectoryDelta: Codable, Equatable, Sendable {
    public var changes: [DirectoryChange]
    public var covers: VersionVector

    public init(changes: [DirectoryChange], covers: VersionVector) {
        self.changes = changes
        self.covers = covers
    }
}

/// What applying a delta did.
public struct ApplyOutcome: Equatable, Sendable {
    /// Changes that were newer than what this replica held and were written.
    public var applied: Int
    /// Changes this replica already had, or had something newer for.
    public var ignored: Int

    public init(applied: Int = 0, ignored: Int = 0) {
        self.applied = applied
        self.ignored = ignored
    }
}
