import ClusterCore
import ClusterTestSupport
import Foundation
import Testing

@Suite struct TCCtlDirectoryTests {
    @Test func aSessionOfDirectoryCommandsBuildsAndListsTheCluster() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let db = ["--db", folder.appendingPathComponent("d.sqlite").path]
        for command in [
            ["server", "add", "s1", "--address", "192.0.2.11", "--roles", "session,boot"],
            ["server", "add", "s2", "--address", "192.0.2.12", "--weight", "2"],
            ["group", "add", "staff", "--servers", "s1,s2"],
            ["user", "add", "alice", "--group", "staff"],
            ["host", "add", "52-54-00-00-00-01", "--ip", "10.20.0.101", "--hostname", "tc-01"],
            ["setting", "set", "dhcp.lease-time", "86400"],
            ["server", "set", "s2", "--state", "draining"],
        ] {
            let result = try runTool("tcctl", command + db)
            #expect(result.status == 0, "\(command): \(result.stderr)")
        }
        let servers = try runTool("tcctl", ["server", "list", "--json"] + db)
        let decoded = try JSONDecoder().decode([Server].self, from: Data(servers.stdout.utf8))
        #expect(decoded == [Server(name: "s1", address: "192.0.2.11", roles: [.session, .boot]),
                            Server(name: "s2", address: "192.0.2.12", weight: 2, state: .draining)])
        let users = try runTool("tcctl", ["user", "list"] + db)
        #expect(users.stdout == "NAME   GROUP\nalice  staff\n")
        let show = try runTool("tcctl", ["user", "show", "alice", "--json"] + db)
        #expect(show.stdout.contains("\"servers\" : [\n    \"s1\",\n    \"s2\"\n  ]"))
        let hosts = try runTool("tcctl", ["host", "list", "--json"] + db)
        #expect(try JSONDecoder().decode([ThinClientHost].self, from: Data(hosts.stdout.utf8)).map(\.mac.description) == ["52:54:00:00:00:01"])
    }

    @Test func refusalsPrintOneLineAndExitOne() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let db = ["--db", folder.appendingPathComponent("d.sqlite").path]
        let missing = try runTool("tcctl", ["user", "add", "alice", "--group", "nobody"] + db)
        #expect(missing.status == 1)
        #expect(missing.stderr == "tcctl: group nobody is not in the directory\n")
        let invalid = try runTool("tcctl", ["server", "add", "s_1", "--address", "192.0.2.1"] + db)
        #expect(invalid.status == 1)
        #expect(invalid.stderr.hasPrefix("tcctl: invalid server name \"s_1\""))
        let usage = try runTool("tcctl", ["server", "add", "s1"] + db)
        #expect(usage.status == 64)
    }

    @Test func aFailedImportNamesTheLineAndChangesNothing() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let db = ["--db", folder.appendingPathComponent("d.sqlite").path]
        _ = try runTool("tcctl", ["server", "add", "s1", "--address", "192.0.2.11"] + db)
        _ = try runTool("tcctl", ["group", "add", "staff", "--servers", "s1"] + db)
        let before = try runTool("tcctl", ["directory", "revision", "--json"] + db).stdout
        let csv = "username,group\nbob,staff\ncarol,staff\ndave,nogroup\n"
        let result = try runTool("tcctl", ["user", "import", "-"] + db, stdin: csv)
        #expect(result.status == 1)
        #expect(result.stderr == "tcctl: line 4: group nogroup is not in the directory; nothing was imported\n")
        #expect(try runTool("tcctl", ["directory", "revision", "--json"] + db).stdout == before)
        let good = try runTool("tcctl", ["user", "import", "-"] + db, stdin: "username,group\nbob,staff\ncarol,staff\n")
        #expect(good.stdout == "imported: 2 created, 0 updated, 0 unchanged\n")
    }

    /// The DHCP daemon holds the directory read-only in another process; it must see what
    /// tcctl or a load balancer commits, without reopening the file.
    @Test func aSecondProcessSeesACommittedChangeWithoutRestarting() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("d.sqlite").path
        let writer = try Directory.open(path: path)
        try writer.addServer(Server(name: "s1", address: "192.0.2.11"))
        let watcher = try ChildProcess(name: "watch", executable: Binaries.url("tcctl"), arguments: ["directory", "watch", "--db", path, "--interval", "20", "--json"], logDirectory: folder)
        defer { watcher.stop() }
        let first = try #require(watcher.nextLine())
        #expect(try JSONDecoder().decode(DirectoryRevision.self, from: Data(first.utf8)).recordCount == 1)
        try writer.addServer(Server(name: "s2", address: "192.0.2.12"))
        let second = try #require(watcher.nextLine())
        let revision = try JSONDecoder().decode(DirectoryRevision.self, from: Data(second.utf8))
        #expect(revision.recordCount == 2)
        #expect(revision.digest == (try writer.revision().digest))

        // And the other way round: a tcctl process writes, this process's read-only handle sees it.
        let reader = try Directory.open(path: path, access: .readOnly)
        #expect(try reader.user(named: "alice") == nil)
        #expect(try runTool("tcctl", ["group", "add", "staff", "--servers", "s1", "--db", path]).status == 0)
        #expect(try runTool("tcctl", ["user", "add", "alice", "--group", "staff", "--db", path]).status == 0)
        #expect(try reader.user(named: "alice") == DirectoryUser(name: "alice", group: "staff"))
    }

    /// The README's main command: a whole cluster as child processes on loopback, seeded, with
    /// both load balancers holding the same directory, then stopped with nothing left behind.
    @Test func theDemoStartsAClusterShowsItAndStopsIt() throws {
        let subnet = "127.\(Int.random(in: 1...254)).\(Int.random(in: 1...254))"
        let port = String(Int.random(in: 20_000...60_000))
        let result = try runTool("tcctl", ["demo", "--once", "--subnet", subnet, "--port", port], timeout: .seconds(120))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("alice    -> \(subnet).11 (server1)"))
        #expect(result.stdout.contains("mallory  -> ERR not-found unknown user"))
        #expect(result.stdout.contains("replicas: identical"))
        let pgrep = try runTool("/usr/bin/pgrep", ["-f", "--", "--listen \(subnet)"])
        #expect(pgrep.status == 1, "demo daemons still running")
    }
}
