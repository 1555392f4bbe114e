import GRDB

extension Directory {
    /// Adds a thin client. Its MAC, IP and hostname must all be unused.
    public func addHost(_ host: ThinClientHost) throws(DirectoryError) {
        try host.validate()
        try write { db, local in
            try Directory.insertHost(db, &local, host, replaceExisting: false)
        }
    }

    /// Changes a thin client's IP, hostname or profile; its MAC stays.
    @discardableResult
    public func updateHost(mac: MACAddress, _ change: (inout ThinClientHost) -> Void) throws(DirectoryError) -> ThinClientHost {
        try write { db, local in
            guard var host = try Directory.fetchHost(db, mac: mac) else {
                throw DirectoryError.notFound(kind: "host", name: mac.description)
            }
            change(&host)
            host.mac = mac
            try host.validate()
            try Directory.insertHost(db, &local, host, replaceExisting: true)
            return host
        }
    }

    public func removeHost(mac: MACAddress) throws(DirectoryError) {
        try write { db, local in
            guard try Directory.fetchHost(db, mac: mac) != nil else {
                throw DirectoryError.notFound(kind: "host", name: mac.description)
            }
            try local.put(.host, mac.description, nil)
        }
    }

    public func host(mac: MACAddress) throws(DirectoryError) -> ThinClientHost? {
        try read { db in try Directory.fetchHost(db, mac: mac) }
    }

    /// All thin clients, by MAC.
    public func hosts() throws(DirectoryError) -> [ThinClientHost] {
        try read { db in try Row.fetchAll(db, sql: "SELECT * FROM hosts ORDER BY mac").map { try Directory.host(from: $0) } }
    }

    /// The binding a DHCP server may hand out for `mac`: nil for an unknown client, and nil for a
    /// client whose IP or hostname was also given to another client by a concurrent write on
    /// another replica and that lost: the client whose record is older keeps the address, the
    /// same on every replica, so no two clients are ever served one address.
    public func binding(for mac: MACAddress) throws(DirectoryError) -> ThinClientHost? {
        try read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM hosts WHERE mac = ?", arguments: [mac.description]) else {
                return nil
            }
            let earlierClaim = try Bool.fetchOne(db, sql: """
                SELECT 1 FROM hosts WHERE mac <> ? AND (ip = ? OR hostname = ?)
                AND (time < ? OR (time = ? AND origin < ?)) LIMIT 1
                """, arguments: [mac.description, row["ip"], row["hostname"], row["time"], row["time"], row["origin"]]) ?? false
            return earlierClaim ? nil : try Directory.host(from: row)
        }
    }

    /// Every binding a DHCP server may hand out, in one read: `binding(for:)` for all hosts at
    /// once (a client that lost a concurrent claim to an IP or hostname is left out), for a
    /// server that caches them all and never queries SQLite on its packet path.
    public func bindings() throws(DirectoryError) -> [ThinClientHost] {
        try read { db in
            let rows = try Row.fetchAll(db, sql: "SELECT * FROM hosts ORDER BY mac")
            typealias Claim = (time: Int64, origin: String, mac: String)
            func older(_ a: Claim, _ b: Claim) -> Bool { (a.time, a.origin, a.mac) < (b.time, b.origin, b.mac) }
            var ipOwner: [String: Claim] = [:], nameOwner: [String: Claim] = [:]
            for row in rows {
                let claim: Claim = (row["time"], row["origin"], row["mac"])
                let ip: String = row["ip"], name: String = row["hostname"]
                if let owner = ipOwner[ip], older(owner, claim) {} else { ipOwner[ip] = claim }
                if let owner = nameOwner[name], older(owner, claim) {} else { nameOwner[name] = claim }
            }
            return try rows.compactMap { row in
                let mac: String = row["mac"], ip: String = row["ip"], name: String = row["hostname"]
                guard ipOwner[ip]?.mac == mac, nameOwner[name]?.mac == mac else { return nil }
                return try Directory.host(from: row)
            }
        }
    }

    static func fetchHost(_ db: Database, mac: MACAddress) throws -> ThinClientHost? {
        try Row.fetchOne(db, sql: "SELECT * FROM hosts WHERE mac = ?", arguments: [mac.description]).map { try host(from: $0) }
    }

    /// Keys are validated before they are stored; a row that fails to parse was edited by hand
    /// and is reported rather than guessed at.
    static func host(from row: Row) throws -> ThinClientHost {
        let macText: String = row["mac"]
        return ThinClientHost(mac: try MACAddress(parsing: macText), ip: row["ip"], hostname: row["hostname"], profile: row["profile"])
    }

    static func insertHost(_ db: Database, _ local: inout LocalWrite, _ host: ThinClientHost, replaceExisting: Bool) throws {
        try host.validate()
        let key = host.mac.description
        if !replaceExisting, let existing = try fetchHost(db, mac: host.mac) {
            throw DirectoryError.conflict("host \(key) already exists as \(existing.hostname) (\(existing.ip))")
        }
        if let other = try Row.fetchOne(db, sql: "SELECT mac, hostname FROM hosts WHERE ip = ? AND mac <> ?", arguments: [host.ip, key]) {
            let otherMAC: String = other["mac"], otherName: String = other["hostname"]
            throw DirectoryError.conflict("ip \(host.ip) is already bound to \(otherMAC) (\(otherName)); a thin client's address must be unique")
        }
        if let other = try String.fetchOne(db, sql: "SELECT mac FROM hosts WHERE hostname = ? AND mac <> ?", arguments: [host.hostname, key]) {
            throw DirectoryError.conflict("hostname \(host.hostname) is already used by \(other)")
        }
        try local.put(.host, key, .host(host))
    }
}
