import GRDB

/// The directory's tables.
///
/// `records` is the replicated truth: one row per key with its stamp and canonical JSON (NULL for
/// a tombstone). The typed tables (`servers`, `users`, ...) are derived from it in the same
/// transaction and exist for queries: a username lookup is one primary-key read. There are no
/// UNIQUE constraints on derived columns such as a host's IP: two replicas may accept
/// conflicting writes while apart, and replication must still take both in; the conflict is
/// resolved deterministically when reading (see `Directory.hosts()`).
enum DirectorySchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL) WITHOUT ROWID;
                CREATE TABLE version_vector (origin TEXT PRIMARY KEY NOT NULL, time INTEGER NOT NULL) WITHOUT ROWID;
                CREATE TABLE records (
                    kind TEXT NOT NULL, key TEXT NOT NULL,
                    time INTEGER NOT NULL, origin TEXT NOT NULL, value TEXT,
                    PRIMARY KEY (kind, key)) WITHOUT ROWID;
                CREATE INDEX records_by_origin ON records(origin, time);
                CREATE TABLE servers (
                    name TEXT PRIMARY KEY NOT NULL, address TEXT NOT NULL, roles TEXT NOT NULL,
                    weight INTEGER NOT NULL, state TEXT NOT NULL) WITHOUT ROWID;
                CREATE TABLE user_groups (name TEXT PRIMARY KEY NOT NULL) WITHOUT ROWID;
                CREATE TABLE group_members (
                    group_name TEXT NOT NULL, server_name TEXT NOT NULL,
                    PRIMARY KEY (group_name, server_name)) WITHOUT ROWID;
                CREATE INDEX group_members_by_server ON group_members(server_name);
                CREATE TABLE users (name TEXT PRIMARY KEY NOT NULL, group_name TEXT NOT NULL) WITHOUT ROWID;
                CREATE INDEX users_by_group ON users(group_name);
                CREATE TABLE hosts (
                    mac TEXT PRIMARY KEY NOT NULL, ip TEXT NOT NULL, hostname TEXT NOT NULL, profile TEXT,
                    time INTEGER NOT NULL, origin TEXT NOT NULL) WITHOUT ROWID;
                CREATE INDEX hosts_by_ip ON hosts(ip);
                CREATE INDEX hosts_by_hostname ON hosts(hostname);
                CREATE TABLE settings (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL) WITHOUT ROWID;
                """)
        }
        return migrator
    }
}
