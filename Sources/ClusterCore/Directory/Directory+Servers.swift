import GRDB

extension Directory {
    /// Adds a server. Its name must be new.
    public func addServer(_ server: Server) throws(DirectoryError) {
        try server.validate()
        try write { db, local in
            if try Directory.fetchServer(db, named: server.name) != nil {
                throw DirectoryError.alreadyExists(kind: "server", name: server.name)
            }
            try local.put(.server, server.name, .server(server))
        }
    }

    /// Changes a server's address, roles, weight or state; its name stays.
    @discardableResult
    public func updateServer(named name: String, _ change: (inout Server) -> Void) throws(DirectoryError) -> Server {
        try write { db, local in
            guard var server = try Directory.fetchServer(db, named: name) else {
                throw DirectoryError.notFound(kind: "server", name: name)
            }
            change(&server)
            server = Server(name: name, address: server.address, roles: server.roles, weight: server.weight, state: server.state)
            try server.validate()
            try local.put(.server, name, .server(server))
            return server
        }
    }

    /// Removes a server. A server that is still a member of a group is refused unless `force`,
    /// which also removes it from its groups: a group must only name servers that exist.
    public func removeServer(named name: String, force: Bool = false) throws(DirectoryError) {
        try write { db, local in
            guard try Directory.fetchServer(db, named: name) != nil else {
                throw DirectoryError.notFound(kind: "server", name: name)
            }
            let groups = try String.fetchAll(db, sql: "SELECT group_name FROM group_members WHERE server_name = ? ORDER BY group_name",
                                             arguments: [name])
            if !groups.isEmpty && !force {
                throw DirectoryError.conflict("server \(name) is a member of group \(groups.joined(separator: ", ")); remove it from the group first, or remove it with --force")
            }
            for group in groups {
                try local.put(.member, RecordValue.memberKey(group: group, server: name), nil)
            }
            try local.put(.server, name, nil)
        }
    }

    public func server(named name: String) throws(DirectoryError) -> Server? {
        try read { db in try Directory.fetchServer(db, named: name) }
    }

    /// All servers, by name.
    public func servers() throws(DirectoryError) -> [Server] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM servers ORDER BY name").map(Directory.server(from:))
        }
    }

    /// The addresses of the load balancers thin clients may ask: servers with the `balancer`
    /// role that are not disabled. tc-dhcpd hands them out in its option, tc-tftpd's templates
    /// as `{loadBalancers}`.
    public func loadBalancerAddresses() throws(DirectoryError) -> [String] {
        try servers().filter { $0.roles.contains(.balancer) && $0.state != .disabled }.map(\.address)
    }

    static func fetchServer(_ db: Database, named name: String) throws -> Server? {
        try Row.fetchOne(db, sql: "SELECT * FROM servers WHERE name = ?", arguments: [name]).map(server(from:))
    }

    static func server(from row: Row) -> Server {
        let roles: String = row["roles"]
        let state: String = row["state"]
        return Server(name: row["name"], address: row["address"],
                      roles: roles.split(separator: ",").compactMap { ServerRole(rawValue: String($0)) },
                      weight: row["weight"], state: ServerState(rawValue: state) ?? .disabled)
    }
}
