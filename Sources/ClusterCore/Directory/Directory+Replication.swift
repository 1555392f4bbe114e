import Crypto
import Foundation
import GRDB

/// A summary of a replica's state, cheap to compare: two replicas with the same digest hold the
/// same records.
public struct DirectoryRevision: Equatable, Sendable, Codable {
    public var replicaID: ReplicaID
    public var vector: VersionVector
    /// Records held, tombstones included.
    public var recordCount: Int
    /// SHA-256 over the canonical records (kind, key, stamp, value in key order), hex, first 16
    /// bytes.
    public var digest: String
}

extension Directory {
    /// Every record this replica holds that a peer whose version vector is `vector` may lack,
    /// with this replica's own vector, read in one transaction so the two agree.
    public func changes(since vector: VersionVector) throws(DirectoryError) -> DirectoryDelta {
        try read { db in
            let covers = try RecordStore.versionVector(db)
            var changes: [DirectoryChange] = []
            for originText in try String.fetchAll(db, sql: "SELECT DISTINCT origin FROM records") {
                let origin = try ReplicaID(validating: originText)
                let rows = try Row.fetchAll(db, sql: """
                    SELECT kind, key, time, value FROM records WHERE origin = ? AND time > ? ORDER BY time
                    """, arguments: [originText, vector[origin].rawValue])
                for row in rows {
                    let kindText: String = row["kind"]
                    guard let kind = RecordKind(rawValue: kindText) else {
                        throw DirectoryError.storage("unknown record kind \(kindText) in the database")
                    }
                    changes.append(DirectoryChange(kind: kind, key: row["key"],
                                                   stamp: Stamp(time: HybridTimestamp(rawValue: row["time"]), origin: origin),
                                                   value: row["value"]))
                }
            }
            changes.sort { $0.stamp < $1.stamp }
            return DirectoryDelta(changes: changes, covers: covers)
        }
    }

    /// Takes in a peer's delta: each record newer than the one held (by stamp) replaces it; the
    /// delta's vector is merged once all of it is in. Every change is validated first; if any is
    /// invalid nothing is applied. Applying the same delta twice, or deltas in any order, gives
    /// the same state.
    @discardableResult
    public func apply(_ delta: DirectoryDelta) throws(DirectoryError) -> ApplyOutcome {
        guard !isReadOnly else { throw .readOnly }
        var decoded: [(DirectoryChange, RecordValue?)] = []
        decoded.reserveCapacity(delta.changes.count)
        for (index, change) in delta.changes.enumerated() {
            do {
                decoded.append((change, try change.value.map { json throws(DirectoryError) in
                    try RecordValue(kind: change.kind, key: change.key, json: json)
                }))
                if change.value == nil { try Directory.validateTombstoneKey(kind: change.kind, key: change.key) }
            } catch {
                throw .badChange(index: index, reason: error.description)
            }
        }
        return try Directory.wrap {
            try database.write { db in
                var outcome = ApplyOutcome(applied: 0, ignored: 0)
                var latest = try RecordStore.clock(db)
                for (change, value) in decoded {
                    latest = HybridClock.receive(change.stamp.time, last: latest)
                    if let held = try RecordStore.stamp(db, kind: change.kind, key: change.key), held >= change.stamp {
                        outcome.ignored += 1
                        continue
                    }
                    try RecordStore.put(db, kind: change.kind, key: change.key, value: value, stamp: change.stamp)
                    outcome.applied += 1
                }
                try RecordStore.storeClock(db, latest)
                try RecordStore.storeVersionVector(db, delta.covers)
                try Directory.countCommit(db)
                return outcome
            }
        }
    }

    /// This replica's version vector.
    public func versionVector() throws(DirectoryError) -> VersionVector {
        try read { db in try RecordStore.versionVector(db) }
    }

    public func revision() throws(DirectoryError) -> DirectoryRevision {
        let id = replicaID
        return try read { db in
            var hasher = SHA256()
            var count = 0
            let cursor = try Row.fetchCursor(db, sql: "SELECT kind, key, time, origin, value FROM records ORDER BY kind, key")
            while let row = try cursor.next() {
                let kind: String = row["kind"], key: String = row["key"], origin: String = row["origin"]
                let time: Int64 = row["time"], value: String? = row["value"]
                hasher.update(data: Data("\(kind)\u{1F}\(key)\u{1F}\(time)\u{1F}\(origin)\u{1F}\(value ?? "\u{0}")\u{1E}".utf8))
                count += 1
            }
            let digest = hasher.finalize().prefix(16).map { String(format: "%02x", $0) }.joined()
            return DirectoryRevision(replicaID: id, vector: try RecordStore.versionVector(db), recordCount: count, digest: digest)
        }
    }

    /// Every row of the replicated state, in a fixed order: records and version vector. Two
    /// converged replicas return equal dumps.
    public func canonicalDump() throws(DirectoryError) -> [String] {
        try read { db in
            let records = try Row.fetchAll(db, sql: "SELECT kind, key, time, origin, value FROM records ORDER BY kind, key").map { row -> String in
                let kind: String = row["kind"], key: String = row["key"], origin: String = row["origin"]
                let time: Int64 = row["time"], value: String? = row["value"]
                return "record \(kind) \(key) \(time) \(origin) \(value ?? "<deleted>")"
            }
            let vector = try Row.fetchAll(db, sql: "SELECT origin, time FROM version_vector ORDER BY origin").map { row -> String in
                let origin: String = row["origin"], time: Int64 = row["time"]
                return "vector \(origin) \(time)"
            }
            return records + vector
        }
    }

    static func validateTombstoneKey(kind: RecordKind, key: String) throws(DirectoryError) {
        switch kind {
        case .server: try Names.validateHostname(key, field: "server name")
        case .group: try Names.validateIdentifier(key, field: "group")
        case .member: _ = try RecordValue.splitMemberKey(key)
        case .user: try Names.validateUsername(key)
        case .host:
            let mac = try MACAddress(parsing: key)
            guard mac.description == key else {
                throw .invalid(field: "mac", value: key, reason: "host keys must be canonical MAC addresses")
            }
        case .setting: try Names.validateIdentifier(key, field: "setting")
        }
    }
}
