import Foundation
import GRDB

/// How a bulk import treats records that exist already.
public enum ImportMode: String, Sendable, CaseIterable {
    /// Existing users or hosts are an error (the safe default for a first import).
    case createOnly = "create"
    /// Existing users are moved to the file's group, existing hosts take the file's values; a
    /// re-run of the same file changes nothing.
    case upsert
}

/// What an import did.
public struct ImportSummary: Equatable, Sendable, Codable {
    public var created = 0
    public var updated = 0
    public var unchanged = 0
}

extension Directory {
    /// Imports users from CSV with the columns `username,group` (a header line naming them is
    /// optional). All lines are checked and written in one transaction: if any line is wrong,
    /// nothing is imported and the error names the line.
    public func importUsers(csv text: String, mode: ImportMode = .createOnly) throws(DirectoryError) -> ImportSummary {
        let records = try Directory.csvRecords(text, header: ["username", "group"])
        return try write { db, local in
            var summary = ImportSummary()
            var seen: [String: Int] = [:]
            for record in records {
                try Directory.atLine(record.line) {
                    guard record.fields.count == 2 else {
                        throw DirectoryError.invalid(field: "line", value: record.fields.joined(separator: ","), reason: "expected 2 fields (username,group), found \(record.fields.count)")
                    }
                    let name = record.fields[0].trimmed, group = record.fields[1].trimmed
                    try Names.validateUsername(name)
                    if let earlier = seen[name] {
                        throw DirectoryError.conflict("user \(name) appears again (first on line \(earlier))")
                    }
                    seen[name] = record.line
                    let existing = try Directory.fetchUser(db, named: name)
                    if existing?.group == group, mode == .upsert { summary.unchanged += 1; return }
                    try Directory.insertUser(db, &local, name: name, group: group, replaceExisting: mode == .upsert)
                    if existing == nil { summary.created += 1 } else { summary.updated += 1 }
                }
            }
            return summary
        }
    }

    /// Imports thin clients from CSV with the columns `mac,ip,hostname[,profile]`, in one
    /// transaction like `importUsers`.
    public func importHosts(csv text: String, mode: ImportMode = .createOnly) throws(DirectoryError) -> ImportSummary {
        let records = try Directory.csvRecords(text, header: ["mac", "ip", "hostname", "profile"])
        return try write { db, local in
            var summary = ImportSummary()
            var seen: [String: Int] = [:]
            for record in records {
                try Directory.atLine(record.line) {
                    guard (3...4).contains(record.fields.count) else {
                        throw DirectoryError.invalid(field: "line", value: record.fields.joined(separator: ","), reason: "expected 3 or 4 fields (mac,ip,hostname[,profile]), found \(record.fields.count)")
                    }
                    let profile = record.fields.count == 4 ? record.fields[3].trimmed : ""
                    let host = ThinClientHost(mac: try MACAddress(parsing: record.fields[0].trimmed), ip: record.fields[1].trimmed,
                                              hostname: record.fields[2].trimmed, profile: profile.isEmpty ? nil : profile)
                    try host.validate()
                    if let earlier = seen[host.mac.description] {
                        throw DirectoryError.conflict("host \(host.mac) appears again (first on line \(earlier))")
                    }
                    seen[host.mac.description] = record.line
                    let existing = try Directory.fetchHost(db, mac: host.mac)
                    if existing == host, mode == .upsert { summary.unchanged += 1; return }
                    try Directory.insertHost(db, &local, host, replaceExisting: mode == .upsert)
                    if existing == nil { summary.created += 1 } else { summary.updated += 1 }
                }
            }
            return summary
        }
    }

    private static func csvRecords(_ text: String, header: [String]) throws(DirectoryError) -> [CSVReader.Record] {
        var records: [CSVReader.Record]
        do {
            records = try CSVReader.records(in: text)
        } catch {
            throw .importLine(line: error.line, reason: error.description.replacingOccurrences(of: "line \(error.line): ", with: ""))
        }
        if let first = records.first {
            let names = first.fields.map { $0.trimmed.lowercased() }
            if names == Array(header.prefix(names.count)), names.count >= 2 { records.removeFirst() }
        }
        return records
    }

    /// Runs `body` for one import line, turning any error into one that names the line.
    private static func atLine(_ line: Int, _ body: () throws -> Void) throws {
        do {
            try body()
        } catch let error as DirectoryError {
            throw DirectoryError.importLine(line: line, reason: error.description)
        }
    }
}

extension String {
    var trimmed: String { trimmingCharacters(in: .whitespaces) }
}
