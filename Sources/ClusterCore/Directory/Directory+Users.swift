import GRDB

/// Where a user may log in: the user's group and the servers of it, as a load balancer needs
/// them for one decision.
public struct UserPlacement: Equatable, Sendable {
    public var user: DirectoryUser
    public var servers: [Server]
}

extension Directory {
    /// Adds a user to an existing group.
    public func addUser(named name: String, group: String) throws(DirectoryError) {
        try Names.validateUsername(name)
        try write { db, local in
            try Directory.insertUser(db, &local, name: name, group: group, replaceExisting: false)
        }
    }

    /// Moves a user to another existing group (the home directory moves with the admin's tools,
    /// not with this call).
    public func moveUser(named name: String, toGroup group: String) throws(DirectoryError) {
        try write { db, local in
            guard try Directory.fetchUser(db, named: name) != nil else { throw DirectoryError.notFound(kind: "user", name: name) }
            try Directory.insertUser(db, &local, name: name, group: group, replaceExisting: true)
        }
    }

    public func removeUser(named name: String) throws(DirectoryError) {
        try write { db, local in
            guard try Directory.fetchUser(db, named: name) != nil else { throw DirectoryError.notFound(kind: "user", name: name) }
            try local.put(.user, name, nil)
        }
    }

    public func user(named name: String) throws(DirectoryError) -> DirectoryUser? {
        try readStatement { db in try Directory.fetchUser(db, named: name) }
    }

    /// Users by name, of one group or of all.
    public func users(inGroup group: String? = nil) throws(DirectoryError) -> [DirectoryUser] {
        try read { db in
            let rows: [Row]
            if let group {
                rows = try Row.fetchAll(db, sql: "SELECT name, group_name FROM users WHERE group_name = ? ORDER BY name", arguments: [group])
            } else {
                rows = try Row.fetchAll(db, sql: "SELECT name, group_name FROM users ORDER BY name")
            }
            return rows.map { DirectoryUser(name: $0["name"], group: $0["group_name"]) }
        }
    }

    /// The user's group and its servers; nil when the user is unknown. The load balancer's hot
    /// path: one cached statement over three primary keys, so it needs no transaction.
    public func placement(ofUser name: String) throws(DirectoryError) -> UserPlacement? {
        try readStatement { db in
            let statement = try db.cachedStatement(sql: """
                SELECT u.group_name, s.* FROM users u
                LEFT JOIN group_members m ON m.group_name = u.group_name
                LEFT JOIN servers s ON s.name = m.server_name
                WHERE u.name = ? ORDER BY s.name
                """)
            let rows = try Row.fetchAll(statement, arguments: [name])
            guard let first = rows.first else { return nil }
            let servers = rows.filter { $0["name"] as String? != nil }.map(Directory.server(from:))
            return UserPlacement(user: DirectoryUser(name: name, group: first["group_name"]), servers: servers)
        }
    }

    static func fetchUser(_ db: Database, named name: String) throws -> DirectoryUser? {
        let statement = try db.cachedStatement(sql: "SELECT name, group_name FROM users WHERE name = ?")
        return try Row.fetchOne(statement, arguments: [name]).map {
            DirectoryUser(name: $0["name"], group: $0["group_name"])
        }
    }

    static func insertUser(_ db: Database, _ local: inout LocalWrite, name: String, group: String, replaceExisting: Bool) throws {
        try Names.validateUsername(name)
        guard try groupExists(db, group) else { throw DirectoryError.notFound(kind: "group", name: group) }
        if !replaceExisting, let existing = try fetchUser(db, named: name) {
            throw DirectoryError.conflict("user \(name) already exists in group \(existing.group); a user is in exactly one group (use `user move` to change it)")
        }
        try local.put(.user, name, .user(DirectoryUser(name: name, group: group)))
    }
}
