import GRDB

extension Directory {
    /// Rule violations that only arise when concurrent writes on different replicas meet (each
    /// was valid where it was made). They are resolved the same way on every replica when
    /// reading; this list tells the administrator what to tidy up.
    public func integrityProblems() throws(DirectoryError) -> [String] {
        try read { db in
            var problems: [String] = []
            for row in try Row.fetchAll(db, sql: """
                SELECT u.name, u.group_name FROM users u LEFT JOIN user_groups g ON g.name = u.group_name
                WHERE g.name IS NULL ORDER BY u.name
                """) {
                let name: String = row["name"], group: String = row["group_name"]
                problems.append("user \(name) is in group \(group), which no longer exists: the user cannot log in")
            }
            for row in try Row.fetchAll(db, sql: """
                SELECT m.group_name, m.server_name FROM group_members m LEFT JOIN servers s ON s.name = m.server_name
                WHERE s.name IS NULL ORDER BY m.group_name, m.server_name
                """) {
                let group: String = row["group_name"], server: String = row["server_name"]
                problems.append("group \(group) names server \(server), which no longer exists: it is ignored")
            }
            for row in try Row.fetchAll(db, sql: """
                SELECT m.group_name FROM group_members m LEFT JOIN user_groups g ON g.name = m.group_name
                WHERE g.name IS NULL GROUP BY m.group_name ORDER BY m.group_name
                """) {
                let group: String = row["group_name"]
                problems.append("servers are members of group \(group), which no longer exists")
            }
            for column in ["ip", "hostname"] {
                // `column` is one of two constants above, never input.
                for row in try Row.fetchAll(db, sql: """
                    SELECT \(column) AS value, group_concat(mac, ', ') AS macs FROM hosts
                    GROUP BY \(column) HAVING count(*) > 1 ORDER BY \(column)
                    """) {
                    let value: String = row["value"], macs: String = row["macs"]
                    problems.append("\(column) \(value) is claimed by \(macs): only the oldest record is served")
                }
            }
            return problems
        }
    }
}
