extension Directory {
    /// Executes one administrative command on this replica.
    public func execute(_ command: DirectoryCommand) throws(DirectoryError) -> DirectoryCommandResult {
        switch command {
        case let .addServer(server):
            try addServer(server)
            return .done("added server \(server.name) (\(server.address))")
        case let .updateServer(update):
            let server = try updateServer(named: update.name) { server in
                if let address = update.address { server.address = address }
                if let roles = update.roles { server.roles = roles }
                if let weight = update.weight { server.weight = weight }
                if let state = update.state { server.state = state }
            }
            return .done("server \(server.name): \(server.address) \(server.roles.map(\.rawValue).joined(separator: ",")) weight \(server.weight) \(server.state.rawValue)")
        case let .removeServer(name, force):
            try removeServer(named: name, force: force)
            return .done("removed server \(name)")
        case .listServers:
            return .servers(try servers())
        case let .showServer(name):
            guard let server = try server(named: name) else { throw .notFound(kind: "server", name: name) }
            return .server(server, groups: try groups().filter { $0.servers.contains(name) }.map(\.name))
        case let .addGroup(name, servers):
            try addGroup(named: name, servers: servers)
            return .done("added group \(name) on \(servers.isEmpty ? "no servers yet" : servers.joined(separator: ", "))")
        case let .removeGroup(name):
            try removeGroup(named: name)
            return .done("removed group \(name)")
        case let .addGroupMember(group, server):
            try addGroupMember(group: group, server: server)
            return .done("group \(group) now includes \(server)")
        case let .removeGroupMember(group, server):
            try removeGroupMember(group: group, server: server)
            return .done("group \(group) no longer includes \(server)")
        case .listGroups:
            let counts = Dictionary(grouping: try users(), by: \.group).mapValues(\.count)
            return .groups(try groups().map { GroupSummary(name: $0.name, servers: $0.servers, users: counts[$0.name] ?? 0) })
        case let .showGroup(name):
            guard let group = try group(named: name) else { throw .notFound(kind: "group", name: name) }
            return .group(group, users: try users(inGroup: name).map(\.name))
        case let .addUser(name, group):
            try addUser(named: name, group: group)
            return .done("added user \(name) to group \(group)")
        case let .moveUser(name, group):
            try moveUser(named: name, toGroup: group)
            return .done("user \(name) is now in group \(group)")
        case let .removeUser(name):
            try removeUser(named: name)
            return .done("removed user \(name)")
        case let .listUsers(group):
            return .users(try users(inGroup: group))
        case let .showUser(name):
            guard let placement = try placement(ofUser: name) else { throw .notFound(kind: "user", name: name) }
            return .user(placement.user, servers: placement.servers)
        case let .addHost(host):
            try addHost(host)
            return .done("added host \(host.hostname) \(host.mac) -> \(host.ip)")
        case let .updateHost(update):
            let host = try updateHost(mac: try MACAddress(parsing: update.mac)) { host in
                if let ip = update.ip { host.ip = ip }
                if let hostname = update.hostname { host.hostname = hostname }
                if let profile = update.profile { host.profile = profile.isEmpty ? nil : profile }
            }
            return .done("host \(host.mac): \(host.ip) \(host.hostname) \(host.profile ?? "-")")
        case let .removeHost(mac):
            let address = try MACAddress(parsing: mac)
            try removeHost(mac: address)
            return .done("removed host \(address)")
        case .listHosts:
            return .hosts(try hosts())
        case let .showHost(mac):
            let address = try MACAddress(parsing: mac)
            guard let host = try host(mac: address) else { throw .notFound(kind: "host", name: address.description) }
            return .host(host, served: try binding(for: address) != nil)
        case let .setSetting(key, value):
            try setSetting(key, to: value)
            return .done("\(key) = \(value)")
        case let .removeSetting(key):
            try removeSetting(key)
            return .done("removed \(key)")
        case .listSettings:
            return .settings(try settings())
        case let .importUsers(csv, update):
            return .imported(try importUsers(csv: csv, mode: update ? .upsert : .createOnly))
        case let .importHosts(csv, update):
            return .imported(try importHosts(csv: csv, mode: update ? .upsert : .createOnly))
        case .revision:
            return .revision(try revision())
        case .check:
            return .problems(try integrityProblems())
        }
    }
}
