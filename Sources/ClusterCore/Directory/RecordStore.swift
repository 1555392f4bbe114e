import GRDB

/// Low-level reads and writes of replicated records inside an open transaction. Every path that
/// changes the directory, local or replicated, goes through `put`, so the typed tables can never
/// disagree with `records`.
enum RecordStore {
    static func stamp(_ db: Database, kind: RecordKind, key: String) throws -> Stamp? {
        guard let row = try Row.fetchOne(db, sql: "SELECT time, origin FROM records WHERE kind = ? AND key = ?",
                                         arguments: [kind.rawValue, key]) else { return nil }
        let originText: String = row["origin"]
        return Stamp(time: HybridTimestamp(rawValue: row["time"]), origin: try ReplicaID(validating: originText))
    }

    /// Stores the record for `kind`/`key` (nil value: a tombstone) and refreshes the typed table.
    static func put(_ db: Database, kind: RecordKind, key: String, value: RecordValue?, stamp: Stamp) throws {
        try db.execute(sql: """
            INSERT INTO records (kind, key, time, origin, value) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (kind, key) DO UPDATE SET time = excluded.time, origin = excluded.origin, value = excluded.value
            """, arguments: [kind.rawValue, key, stamp.time.rawValue, stamp.origin.rawValue, value?.canonicalJSON()])
        try materialize(db, kind: kind, key: key, value: value, stamp: stamp)
    }

    private static func materialize(_ db: Database, kind: RecordKind, key: String, value: RecordValue?, stamp: Stamp) throws {
        switch (kind, value) {
        case let (.server, .server(server)?):
            try db.execute(sql: """
                INSERT OR REPLACE INTO servers (name, address, roles, weight, state) VALUES (?, ?, ?, ?, ?)
                """, arguments: [server.name, server.address, server.roles.map(\.rawValue).joined(separator: ","),
                                 server.weight, server.state.rawValue])
        case (.server, _):
            try db.execute(sql: "DELETE FROM servers WHERE name = ?", arguments: [key])
        case (.group, .group?):
            try db.execute(sql: "INSERT OR IGNORE INTO user_groups (name) VALUES (?)", arguments: [key])
        case (.group, _):
            try db.execute(sql: "DELETE FROM user_groups WHERE name = ?", arguments: [key])
        case let (.member, .member(group, server)?):
            try db.execute(sql: "INSERT OR IGNORE INTO group_members (group_name, server_name) VALUES (?, ?)",
                           arguments: [group, server])
        case (.member, _):
            let (group, server) = try RecordValue.splitMemberKey(key)
            try db.execute(sql: "DELETE FROM group_members WHERE group_name = ? AND server_name = ?",
                           arguments: [group, server])
        case let (.user, .user(user)?):
            try db.execute(sql: "INSERT OR REPLACE INTO users (name, group_name) VALUES (?, ?)",
                           arguments: [user.name, user.group])
        case (.user, _):
            try db.execute(sql: "DELETE FROM users WHERE name = ?", arguments: [key])
        case let (.host, .host(host)?):
            try db.execute(sql: """
                INSERT OR REPLACE INTO hosts (mac, ip, hostname, profile, time, origin) VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [key, host.ip, host.hostname, host.profile, stamp.time.rawValue, stamp.origin.rawValue])
        case (.host, _):
            try db.execute(sql: "DELETE FROM hosts WHERE mac = ?", arguments: [key])
        case let (.setting, .setting(setting)?):
            try db.execute(sql: "INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)",
                           arguments: [setting.key, setting.value])
        case (.setting, _):
            try db.execute(sql: "DELETE FROM settings WHERE key = ?", arguments: [key])
        }
    }

    static func versionVector(_ db: Database) throws -> VersionVector {
        var vector = VersionVector()
        for row in try Row.fetchAll(db, sql: "SELECT origin, time FROM version_vector") {
            let origin: String = row["origin"]
            vector.advance(try ReplicaID(validating: origin), to: HybridTimestamp(rawValue: row["time"]))
        }
        return vector
    }

    static func storeVersionVector(_ db: Database, _ vector: VersionVector) throws {
        for (origin, time) in vector.entries {
            try db.execute(sql: """
                INSERT INTO version_vector (origin, time) VALUES (?, ?)
                ON CONFLICT (origin) DO UPDATE SET time = max(time, excluded.time)
                """, arguments: [origin.rawValue, time.rawValue])
        }
    }

    static func clock(_ db: Database) throws -> HybridTimestamp {
        HybridTimestamp(rawValue: try Int64.fetchOne(db, sql: "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'clock'") ?? 0)
    }

    static func storeClock(_ db: Database, _ time: HybridTimestamp) throws {
        try db.execute(sql: """
            INSERT INTO meta (key, value) VALUES ('clock', ?)
            ON CONFLICT (key) DO UPDATE SET value = excluded.value
            WHERE CAST(meta.value AS INTEGER) < CAST(excluded.value AS INTEGER)
            """, arguments: [String(time.rawValue)])
    }
}
