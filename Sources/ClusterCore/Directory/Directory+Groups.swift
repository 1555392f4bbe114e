import GRDB

extension Directory {
    /// Adds a user group hosted by `servers`, which must all exist.
    public func addGroup(named name: String, servers: [String]) throws(DirectoryError) {
        try Names.validateIdentifier(name, field: "group")
        try write { db, local in
            if try Directory.groupExists(db, name) {
                throw DirectoryError.alreadyExists(kind: "group", name: name)
            }
            try local.put(.group, name, .group)
            for server in Set(servers).sorted() {
                try Directory.requireServer(db, server)
                try local.put(.member, RecordValue.memberKey(group: name, server: server), .member(group: name, server: server))
            }
        }
    }

    /// Removes an empty group. Users must be moved or removed first: each user belongs to
    /// exactly one group, and removing it would leave them nowhere to log in.
    public func removeGroup(named name: String) throws(DirectoryError) {
        try write { db, local in
            guard try Directory.groupExists(db, name) else { throw DirectoryError.notFound(kind: "group", name: name) }
            let count = try Int.fetchOne(db, sql: "SELECT count(*) FROM users WHERE group_name = ?", arguments: [name]) ?? 0
            if count > 0 {
                let sample = try String.fetchAll(db, sql: "SELECT name FROM users WHERE group_name = ? ORDER BY name LIMIT 3", arguments: [name])
                throw DirectoryError.conflict("group \(name) still has \(count) user(s) (\(sample.joined(separator: ", "))\(count > 3 ? ", ..." : "")); move or remove them first")
            }
            for server in try String.fetchAll(db, sql: "SELECT server_name FROM group_members WHERE group_name = ?", arguments: [name]) {
                try local.put(.member, RecordValue.memberKey(group: name, server: server), nil)
            }
            try local.put(.group, name, nil)
        }
    }

    /// Adds an existing server to an existing group.
    public func addGroupMember(group: String, server: String) throws(DirectoryError) {
        try write { db, local in
            guard try Directory.groupExists(db, group) else { throw DirectoryError.notFound(kind: "group", name: group) }
            try Directory.requireServer(db, server)
            let isMember = try Bool.fetchOne(db, sql: "SELECT 1 FROM group_members WHERE group_name = ? AND server_name = ?",
                                             arguments: [group, server]) ?? false
            if isMember { throw DirectoryError.alreadyExists(kind: "member", name: "\(server) of group \(group)") }
            try local.put(.member, RecordValue.memberKey(group: group, server: server), .member(group: group, server: server))
        }
    }

    /// Takes a server out of a group.
    public func removeGroupMember(group: String, server: String) throws(DirectoryError) {
        try write { db, local in
            let isMember = try Bool.fetchOne(db, sql: "SELECT 1 FROM group_members WHERE group_name = ? AND server_name = ?",
                                             arguments: [group, server]) ?? false
            guard isMember else { throw DirectoryError.notFound(kind: "member", name: "\(server) of group \(group)") }
            try local.put(.member, RecordValue.memberKey(group: group, server: server), nil)
        }
    }

    public func group(named name: String) throws(DirectoryError) -> UserGroup? {
        try read { db in
            guard try Directory.groupExists(db, name) else { return nil }
            return UserGroup(name: name, servers: try Directory.memberServers(db, group: name))
        }
    }

    /// All groups, by name, each with the servers that exist among its members.
    public func groups() throws(DirectoryError) -> [UserGroup] {
        try read { db in
            var members: [String: [String]] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT m.group_name, m.server_name FROM group_members m JOIN servers s ON s.name = m.server_name
                """) {
                members[row["group_name"], default: []].append(row["server_name"])
            }
            return try String.fetchAll(db, sql: "SELECT name FROM user_groups ORDER BY name").map {
                UserGroup(name: $0, servers: members[$0] ?? [])
            }
        }
    }

    static func groupExists(_ db: Database, _ name: String) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT 1 FROM user_groups WHERE name = ?", arguments: [name]) ?? false
    }

    static func requireServer(_ db: Database, _ name: String) throws {
        guard try fetchServer(db, named: name) != nil else {
            throw DirectoryError.notFound(kind: "server", name: name)
        }
    }

    /// Members that exist as servers: a membership whose server was removed on another replica
    /// at the same time is left out (and reported by `integrityProblems()`).
    static func memberServers(_ db: Database, group: String) throws -> [String] {
        try String.fetchAll(db, sql: """
            SELECT m.server_name FROM group_members m JOIN servers s ON s.name = m.server_name
            WHERE m.group_name = ? ORDER BY m.server_name
            """, arguments: [group])
    }
}
