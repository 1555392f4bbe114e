import GRDB

extension Directory {
    /// Sets a cluster-wide setting.
    public func setSetting(_ key: String, to value: String) throws(DirectoryError) {
        try Names.validateIdentifier(key, field: "setting")
        guard value.utf8.count <= ClusterSetting.maximumValueLength else {
            throw .invalid(field: "setting value", value: String(value.prefix(40)), reason: "longer than 1024 bytes")
        }
        try write { _, local in
            try local.put(.setting, key, .setting(ClusterSetting(key: key, value: value)))
        }
    }

    public func removeSetting(_ key: String) throws(DirectoryError) {
        try write { db, local in
            guard try String.fetchOne(db, sql: "SELECT value FROM settings WHERE key = ?", arguments: [key]) != nil else {
                throw DirectoryError.notFound(kind: "setting", name: key)
            }
            try local.put(.setting, key, nil)
        }
    }

    public func setting(_ key: String) throws(DirectoryError) -> String? {
        try read { db in try String.fetchOne(db, sql: "SELECT value FROM settings WHERE key = ?", arguments: [key]) }
    }

    public func settings() throws(DirectoryError) -> [ClusterSetting] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT key, value FROM settings ORDER BY key").map {
                ClusterSetting(key: $0["key"], value: $0["value"])
            }
        }
    }
}
