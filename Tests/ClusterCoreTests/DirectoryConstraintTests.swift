import Foundation
import Testing
@testable import ClusterCore

@Suite struct DirectoryConstraintTests {
    @Test func aUserIsInExactlyOneGroup() throws {
        let directory = try seededDirectory()
        try directory.addGroup(named: "pupils", servers: ["s2"])
        #expect(throws: DirectoryError.conflict("user alice already exists in group staff; a user is in exactly one group (use `user move` to change it)")) {
            try directory.addUser(named: "alice", group: "pupils")
        }
        try directory.moveUser(named: "alice", toGroup: "pupils")
        #expect(try directory.user(named: "alice") == DirectoryUser(name: "alice", group: "pupils"))
        #expect(try directory.users().count == 1)
    }

    @Test func aUserNeedsAnExistingGroup() throws {
        let directory = try seededDirectory()
        #expect(throws: DirectoryError.notFound(kind: "group", name: "nobody")) {
            try directory.addUser(named: "bob", group: "nobody")
        }
        #expect(throws: DirectoryError.notFound(kind: "group", name: "nobody")) {
            try directory.moveUser(named: "alice", toGroup: "nobody")
        }
        #expect(try directory.user(named: "bob") == nil)
    }

    @Test func invalidUsernamesChangeNothing() throws {
        let directory = try seededDirectory()
        let before = try directory.canonicalDump()
        #expect(throws: DirectoryError.self) { try directory.addUser(named: "-rf", group: "staff") }
        #expect(try directory.canonicalDump() == before)
    }

    @Test func aGroupsServersMustExistAndAFailedAddWritesNothing() throws {
        let directory = try seededDirectory()
        let before = try directory.canonicalDump()
        #expect(throws: DirectoryError.notFound(kind: "server", name: "s9")) {
            try directory.addGroup(named: "pupils", servers: ["s1", "s9"])
        }
        #expect(try directory.group(named: "pupils") == nil)
        #expect(try directory.canonicalDump() == before)
        #expect(throws: DirectoryError.notFound(kind: "server", name: "s9")) {
            try directory.addGroupMember(group: "staff", server: "s9")
        }
    }

    @Test func aGroupWithUsersCannotBeRemoved() throws {
        let directory = try seededDirectory()
        #expect(throws: DirectoryError.conflict("group staff still has 1 user(s) (alice); move or remove them first")) {
            try directory.removeGroup(named: "staff")
        }
        try directory.removeUser(named: "alice")
        try directory.removeGroup(named: "staff")
        #expect(try directory.groups().isEmpty)
    }

    @Test func aServerInAGroupIsRemovedOnlyWithForceWhichAlsoLeavesTheGroup() throws {
        let directory = try seededDirectory()
        #expect(throws: DirectoryError.self) { try directory.removeServer(named: "s1") }
        #expect(try directory.server(named: "s1") != nil)
        try directory.removeServer(named: "s1", force: true)
        #expect(try directory.group(named: "staff")?.servers == ["s2"])
        #expect(try directory.integrityProblems().isEmpty)
    }

    @Test func serversAreValidated() throws {
        let directory = try Directory.inMemory()
        #expect(throws: DirectoryError.self) { try directory.addServer(Server(name: "bad_name", address: "192.0.2.1")) }
        #expect(throws: DirectoryError.self) { try directory.addServer(Server(name: "s1", address: "not an address")) }
        #expect(throws: DirectoryError.self) { try directory.addServer(Server(name: "s1", address: "192.0.2.1", weight: 0)) }
        #expect(throws: DirectoryError.self) { try directory.addServer(Server(name: "s1", address: "192.0.2.1", roles: [])) }
        try directory.addServer(Server(name: "s1", address: "2001:db8::1", roles: [.boot, .session, .boot], weight: 3))
        #expect(try directory.server(named: "s1") == Server(name: "s1", address: "2001:db8::1", roles: [.boot, .session], weight: 3))
        #expect(throws: DirectoryError.alreadyExists(kind: "server", name: "s1")) {
            try directory.addServer(Server(name: "s1", address: "192.0.2.1"))
        }
        try directory.updateServer(named: "s1") { $0.state = .draining }
        #expect(try directory.server(named: "s1")?.state == .draining)
        #expect(throws: DirectoryError.self) { try directory.updateServer(named: "s1") { $0.weight = 5000 } }
        #expect(try directory.server(named: "s1")?.weight == 3)
    }

    @Test func aHostsMACIPAndHostnameAreUnique() throws {
        let directory = try Directory.inMemory()
        let first = ThinClientHost(mac: try mac("52:54:00:00:00:01"), ip: "10.20.0.101", hostname: "tc-01")
        try directory.addHost(first)
        #expect(throws: DirectoryError.self) {
            try directory.addHost(ThinClientHost(mac: try mac("52-54-00-00-00-01"), ip: "10.20.0.102", hostname: "tc-02"))
        }
        #expect(throws: DirectoryError.conflict("ip 10.20.0.101 is already bound to 52:54:00:00:00:01 (tc-01); a thin client's address must be unique")) {
            try directory.addHost(ThinClientHost(mac: try mac("52:54:00:00:00:02"), ip: "10.20.0.101", hostname: "tc-02"))
        }
        #expect(throws: DirectoryError.conflict("hostname tc-01 is already used by 52:54:00:00:00:01")) {
            try directory.addHost(ThinClientHost(mac: try mac("52:54:00:00:00:02"), ip: "10.20.0.102", hostname: "tc-01"))
        }
        try directory.addHost(ThinClientHost(mac: try mac("52:54:00:00:00:02"), ip: "10.20.0.102", hostname: "tc-02", profile: "uefi"))
        #expect(throws: DirectoryError.self) {
            try directory.updateHost(mac: try mac("52:54:00:00:00:02")) { $0.ip = "10.20.0.101" }
        }
        try directory.updateHost(mac: try mac("52:54:00:00:00:01")) { $0.ip = "10.20.0.150" }
        #expect(try directory.binding(for: try mac("52:54:00:00:00:01"))?.ip == "10.20.0.150")
        #expect(try directory.hosts().map(\.hostname) == ["tc-01", "tc-02"])
        #expect(throws: DirectoryError.self) {
            try directory.addHost(ThinClientHost(mac: try mac("52:54:00:00:00:03"), ip: "10.20.0.300", hostname: "tc-03"))
        }
    }

    @Test func settingsAreValidated() throws {
        let directory = try Directory.inMemory()
        try directory.setSetting("dhcp.lease-time", to: "86400")
        #expect(try directory.setting("dhcp.lease-time") == "86400")
        #expect(throws: DirectoryError.self) { try directory.setSetting("1bad", to: "x") }
        #expect(throws: DirectoryError.self) { try directory.setSetting("big", to: String(repeating: "x", count: 1025)) }
        try directory.removeSetting("dhcp.lease-time")
        #expect(try directory.settings().isEmpty)
        #expect(throws: DirectoryError.notFound(kind: "setting", name: "dhcp.lease-time")) {
            try directory.removeSetting("dhcp.lease-time")
        }
    }

    @Test func aReadOnlyOpenRefusesWritesAndAMissingFileIsAClearError() throws {
        let path = temporaryPath("directory.sqlite")
        defer { try? FileManager.default.removeItem(at: path.deletingLastPathComponent()) }
        #expect(throws: DirectoryError.self) { try Directory.open(path: path.path, access: .readOnly) }
        let writer = try Directory.open(path: path.path)
        try writer.addServer(Server(name: "s1", address: "192.0.2.1"))
        let reader = try Directory.open(path: path.path, access: .readOnly)
        #expect(reader.replicaID == writer.replicaID)
        #expect(throws: DirectoryError.readOnly) { try reader.addServer(Server(name: "s2", address: "192.0.2.2")) }
        try writer.addServer(Server(name: "s2", address: "192.0.2.2"))
        #expect(try reader.servers().map(\.name) == ["s1", "s2"])
    }

    @Test func theReplicaIDAndClockSurviveReopening() throws {
        let path = temporaryPath("directory.sqlite")
        defer { try? FileManager.default.removeItem(at: path.deletingLastPathComponent()) }
        let clock = ManualClock()
        let first = try Directory.open(path: path.path, wallClock: clock.read)
        try first.addServer(Server(name: "s1", address: "192.0.2.1"))
        let vector = try first.versionVector()
        clock.advance(by: -60_000)  // the wall clock steps back across the restart
        let second = try Directory.open(path: path.path, wallClock: clock.read)
        #expect(second.replicaID == first.replicaID)
        try second.removeServer(named: "s1")
        #expect(try second.versionVector()[second.replicaID] > vector[first.replicaID])
        #expect(try second.server(named: "s1") == nil)
    }
}
