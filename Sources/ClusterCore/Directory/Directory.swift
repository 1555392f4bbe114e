import Foundation
import GRDB

/// The cluster's replicated directory: servers, user groups, users, thin-client hosts and
/// settings, in one SQLite database (WAL mode).
///
/// Every replica accepts writes. Each key holds a last-writer-wins record stamped with a hybrid
/// logical clock and the writing replica's id; replicas exchange records in any order, repeated
/// or late, and converge (see `changes(since:)` and `apply(_:)`). Local writes check the
/// directory's rules (a user in exactly one existing group, unique host addresses, groups of
/// existing servers) against the local copy; conflicts that only appear when two replicas'
/// writes meet are resolved the same way on every replica when reading.
///
/// A second process may open the same file read-only (`Access.readOnly`): WAL lets it read
/// while a writer commits, and every read sees the latest committed state.
public final class Directory: Sendable {
    public enum Access: Sendable {
        /// Creates the file and its schema if needed.
        case readWrite
        /// Opens an existing directory for reading only (the DHCP daemon's view).
        case readOnly
    }

    /// The id of this copy of the directory, stamped on every change it originates.
    public let replicaID: ReplicaID
    public let isReadOnly: Bool
    let database: any DatabaseWriter
    private let wallClock: @Sendable () -> Int64

    /// Opens (and for `.readWrite` creates) the directory at `path`.
    /// - Parameter wallClock: milliseconds since the epoch; injectable so that tests can make
    ///   replicas write at the same instant.
    public static func open(path: String, access: Access = .readWrite, busyTimeout: Duration = .seconds(5),
                            wallClock: @escaping @Sendable () -> Int64 = Directory.systemMilliseconds) throws(DirectoryError) -> Directory {
        var configuration = Configuration()
        configuration.busyMode = .timeout(TimeInterval(busyTimeout.components.seconds) + TimeInterval(busyTimeout.components.attoseconds) / 1e18)
        configuration.readonly = access == .readOnly
        if access == .readOnly, !FileManager.default.fileExists(atPath: path) {
            throw .storage("no directory at \(path); create one with tcctl or start tc-lbd first")
        }
        if access == .readWrite {
            let parent = (path as NSString).deletingLastPathComponent
            if !parent.isEmpty, !FileManager.default.fileExists(atPath: parent) {
                do {
                    try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true,
                                                            attributes: [.posixPermissions: 0o750])
                } catch {
                    throw .storage("cannot create \(parent): \(error.localizedDescription)")
                }
            }
        }
        return try wrap {
            let pool = try DatabasePool(path: path, configuration: configuration)
            return try Directory(database: pool, access: access, wallClock: wallClock)
        }
    }

    /// A directory in memory, for unit tests and benchmarks of one replica's logic.
    public static func inMemory(replicaID: ReplicaID = .random(),
                                wallClock: @escaping @Sendable () -> Int64 = Directory.systemMilliseconds) throws(DirectoryError) -> Directory {
        try wrap {
            let queue = try DatabaseQueue()
            return try Directory(database: queue, access: .readWrite, wallClock: wallClock, replicaID: replicaID)
        }
    }

    private init(database: any DatabaseWriter, access: Access, wallClock: @escaping @Sendable () -> Int64,
                 replicaID preferredID: ReplicaID? = nil) throws {
        self.database = database
        self.isReadOnly = access == .readOnly
        self.wallClock = wallClock
        if access == .readWrite {
            try DirectorySchema.migrator.migrate(database)
            self.replicaID = try database.write { db in
                if let existing = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'replica_id'") {
                    return try ReplicaID(validating: existing)
                }
                let id = preferredID ?? .random()
                try db.execute(sql: "INSERT INTO meta (key, value) VALUES ('replica_id', ?)", arguments: [id.rawValue])
                return id
            }
        } else {
            let known = try database.read { db in try DirectorySchema.migrator.hasCompletedMigrations(db) }
            guard known else {
                throw DirectoryError.storage("the file is not a ThinCluster directory of this version")
            }
            let existing = try database.read { db in try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'replica_id'") }
            guard let existing else { throw DirectoryError.storage("the directory has no replica id") }
            self.replicaID = try ReplicaID(validating: existing)
        }
    }

    public static let systemMilliseconds: @Sendable () -> Int64 = {
        Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
    }

    // MARK: - Transactions

    /// Runs a read transaction, mapping storage errors to `DirectoryError`.
    func read<T>(_ body: (Database) throws -> T) throws(DirectoryError) -> T {
        try Directory.wrap { try database.read(body) }
    }

    /// Runs a read of one SQL statement outside a transaction: a single statement sees one
    /// consistent snapshot by itself, and skipping BEGIN/COMMIT halves the cost of the lookups
    /// on the load balancer's path.
    func readStatement<T>(_ body: (Database) throws -> T) throws(DirectoryError) -> T {
        try Directory.wrap { try database.unsafeRead(body) }
    }

    /// Runs one local write transaction. `LocalWrite` hands out stamps for the changes made in
    /// it; the clock and this replica's version-vector entry are stored with the changes, so a
    /// crash keeps all or nothing.
    func write<T>(_ body: (Database, inout LocalWrite) throws -> T) throws(DirectoryError) -> T {
        guard !isReadOnly else { throw .readOnly }
        let now = wallClock()
        let origin = replicaID
        return try Directory.wrap {
            try database.write { db in
                var local = LocalWrite(db: db, origin: origin, last: try RecordStore.clock(db), wall: now)
                let result = try body(db, &local)
                if local.last > (try RecordStore.clock(db)) {
                    try RecordStore.storeClock(db, local.last)
                    try RecordStore.storeVersionVector(db, VersionVector([origin: local.last]))
                    try Directory.countCommit(db)
                }
                return result
            }
        }
    }

    static func wrap<T>(_ body: () throws -> T) throws(DirectoryError) -> T {
        do {
            return try body()
        } catch let error as DirectoryError {
            throw error
        } catch let error as DatabaseError {
            if error.resultCode == .SQLITE_READONLY { throw .readOnly }
            throw .storage(error.message ?? error.description)
        } catch {
            throw .storage(String(describing: error))
        }
    }
}

/// The state of one local write transaction: the stamps it hands out are strictly increasing and
/// after everything this replica has seen.
struct LocalWrite {
    let db: Database
    let origin: ReplicaID
    private(set) var last: HybridTimestamp
    private let wall: Int64

    init(db: Database, origin: ReplicaID, last: HybridTimestamp, wall: Int64) {
        self.db = db
        self.origin = origin
        self.last = last
        self.wall = wall
    }

    /// Writes `value` (nil: deletes) under a fresh stamp.
    mutating func put(_ kind: RecordKind, _ key: String, _ value: RecordValue?) throws {
        last = HybridClock.tick(after: last, wallMilliseconds: wall)
        try RecordStore.put(db, kind: kind, key: key, value: value, stamp: Stamp(time: last, origin: origin))
    }
}
