import Testing
@testable import ClusterCore

@Suite struct DirectoryImportTests {
    @Test func usersImportWithHeaderCommentsAndQuotes() throws {
        let directory = try seededDirectory()
        let csv = "\u{FEFF}username,group\r\n# the new class\r\nbob,staff\r\n\"carol\",\"staff\"\r\n\r\n"
        let summary = try directory.importUsers(csv: csv)
        #expect(summary == ImportSummary(created: 2, updated: 0, unchanged: 0))
        #expect(try directory.users().map(\.name) == ["alice", "bob", "carol"])
    }

    @Test func aBadLineImportsNothingAndNamesTheLine() throws {
        let directory = try seededDirectory()
        let before = try directory.canonicalDump()
        let csv = "username,group\nbob,staff\ncarol,staff\n-dave,staff\nerin,staff\n"
        #expect(throws: DirectoryError.importLine(line: 4, reason: "invalid username \"-dave\": must not start with '-'")) {
            try directory.importUsers(csv: csv)
        }
        #expect(try directory.canonicalDump() == before)
    }

    @Test func anUnknownGroupOrADuplicateLineImportsNothing() throws {
        let directory = try seededDirectory()
        let before = try directory.canonicalDump()
        #expect(throws: DirectoryError.importLine(line: 2, reason: "group pupils is not in the directory")) {
            try directory.importUsers(csv: "bob,staff\ncarol,pupils\n")
        }
        #expect(throws: DirectoryError.importLine(line: 3, reason: "user bob appears again (first on line 1)")) {
            try directory.importUsers(csv: "bob,staff\ncarol,staff\nbob,staff\n")
        }
        #expect(throws: DirectoryError.self) { try directory.importUsers(csv: "bob,staff,extra\n") }
        #expect(throws: DirectoryError.importLine(line: 2, reason: "a quoted field is not closed")) {
            try directory.importUsers(csv: "bob,staff\n\"carol,staff\n")
        }
        #expect(try directory.canonicalDump() == before)
    }

    @Test func upsertMovesExistingUsersAndARerunChangesNothing() throws {
        let directory = try seededDirectory()
        try directory.addGroup(named: "pupils", servers: ["s2"])
        #expect(throws: DirectoryError.self) { try directory.importUsers(csv: "alice,pupils\n") }
        #expect(try directory.importUsers(csv: "alice,pupils\nbob,pupils\n", mode: .upsert) == ImportSummary(created: 1, updated: 1, unchanged: 0))
        let after = try directory.canonicalDump()
        #expect(try directory.importUsers(csv: "alice,pupils\nbob,pupils\n", mode: .upsert) == ImportSummary(created: 0, updated: 0, unchanged: 2))
        #expect(try directory.canonicalDump() == after)
    }

    @Test func hostsImportAndClashesWithinTheFileAreCaught() throws {
        let directory = try Directory.inMemory()
        let csv = "mac,ip,hostname,profile\n52:54:00:00:00:01,10.20.0.101,tc-01,\n52:54:00:00:00:02,10.20.0.102,tc-02,uefi\n"
        #expect(try directory.importHosts(csv: csv) == ImportSummary(created: 2, updated: 0, unchanged: 0))
        #expect(try directory.host(mac: try mac("52:54:00:00:00:02"))?.profile == "uefi")
        let before = try directory.canonicalDump()
        #expect(throws: DirectoryError.importLine(line: 2, reason: "ip 10.20.0.103 is already bound to 52:54:00:00:00:03 (tc-03); a thin client's address must be unique")) {
            try directory.importHosts(csv: "52:54:00:00:00:03,10.20.0.103,tc-03\n52:54:00:00:00:04,10.20.0.103,tc-04\n")
        }
        #expect(throws: DirectoryError.importLine(line: 1, reason: "invalid mac \"52:54:00:00:00\": must be 6 hexadecimal bytes such as 52:54:00:12:34:56")) {
            try directory.importHosts(csv: "52:54:00:00:00,10.20.0.103,tc-03\n")
        }
        #expect(try directory.canonicalDump() == before)
    }
}
