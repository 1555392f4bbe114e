import ClusterTestSupport
import ClusterCore
import Foundation
import Testing

/// The real tc-login binary against in-test load balancers on 127.0.0.1, usernames on its
/// standard input, and a shell stand-in for the X server that records where it was sent.
@Suite("tc-login as a process")
struct TCLoginProcessTests {
    /// A display command that appends `session on <server>` to `file` and exits 0.
    private func recordingDisplay(_ file: URL) -> [String] {
        ["/bin/sh", "-c", "echo session on $0 >> '\(file.path)'", "{server}"]
    }

    @Test func failsOverPastAClosedPortAndOpensTheSessionOnTheServerTheLoadBalancerNames() async throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let sessions = folder.appendingPathComponent("sessions")
        let config = try writeLoginConfiguration(in: folder, displayCommand: recordingDisplay(sessions))
        let closedPort = try RefusingPort()
        defer { closedPort.close() }
        let closed = closedPort.port
        let balancer = StandInLoadBalancer(answers: ["alice": .ok(["127.0.0.1"])])

        let result = try await withLoadBalancer(balancer) { port in
            try await TCLoginProcess.run(
                ["--config", config.path, "--lb", "127.0.0.1:\(closed),127.0.0.1:\(port)", "--client-id", "tc-07"],
                stdin: "alice\n  alice  \n"
            )
        }

        #expect(result.status == 0)
        #expect(contents(of: sessions) == "session on 127.0.0.1\nsession on 127.0.0.1\n")
        #expect(result.stdout == """
            login: Starting the session for alice on 127.0.0.1...
            Session on 127.0.0.1 ended.
            login: Starting the session for alice on 127.0.0.1...
            Session on 127.0.0.1 ended.
            login: \n
            """)
        #expect(await balancer.seen.lines == ["SERVER alice tc-07", "SERVER alice tc-07"])
    }

    @Test func anUnknownUserIsToldAndNoSessionStarts() async throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let sessions = folder.appendingPathComponent("sessions")
        let config = try writeLoginConfiguration(in: folder, displayCommand: recordingDisplay(sessions))
        let balancer = StandInLoadBalancer(answers: ["alice": .ok(["127.0.0.1"])])

        let result = try await withLoadBalancer(balancer) { port in
            try await TCLoginProcess.run(["--config", config.path, "--lb", "127.0.0.1:\(port)"], stdin: "bob\n")
        }

        #expect(result.status == 0)
        #expect(result.stdout.contains("Unknown user \"bob\". Check the spelling and try again.\nlogin: "))
        #expect(!FileManager.default.fileExists(atPath: sessions.path))
    }

    @Test func whenEveryLoadBalancerIsDownThePersonIsToldAndTheLogSaysWhich() async throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let sessions = folder.appendingPathComponent("sessions")
        let config = try writeLoginConfiguration(in: folder, displayCommand: recordingDisplay(sessions))
        let firstPort = try RefusingPort()
        defer { firstPort.close() }
        let first = firstPort.port
        let secondPort = try RefusingPort()
        defer { secondPort.close() }
        let second = secondPort.port

        let result = try await TCLoginProcess.run(
            ["--config", config.path, "--lb", "127.0.0.1:\(first),127.0.0.1:\(second)"], stdin: "alice\n"
        )

        #expect(result.status == 0)
        #expect(result.stdout.contains("No server is available for alice right now. Please try again in a moment."))
        #expect(result.stderr.contains("127.0.0.1:\(first): connection refused; 127.0.0.1:\(second): connection refused"))
        #expect(!FileManager.default.fileExists(atPath: sessions.path))
    }

    @Test func anInvalidUsernameIsRefusedWithoutAskingTheLoadBalancer() async throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let config = try writeLoginConfiguration(in: folder, displayCommand: recordingDisplay(folder.appendingPathComponent("s")))
        let balancer = StandInLoadBalancer(answers: [:])

        let result = try await withLoadBalancer(balancer) { port in
            try await TCLoginProcess.run(["--config", config.path, "--lb", "127.0.0.1:\(port)"], stdin: "\n   \nal ice\n")
        }

        #expect(result.status == 0)
        #expect(result.stdout == """
            login: login: login: "al ice" is not a valid username: only letters, digits, '.', '_' and '-' are allowed. \
            Check the spelling and try again.
            login: \n
            """)
        #expect(await balancer.seen.lines.isEmpty)
    }

    @Test func onceExitsWithTheDisplayCommandsStatus() async throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let config = try writeLoginConfiguration(in: folder, displayCommand: ["/bin/sh", "-c", "exit 7", "{server}"])
        let balancer = StandInLoadBalancer(answers: ["alice": .ok(["127.0.0.1"])])

        let result = try await withLoadBalancer(balancer) { port in
            try await TCLoginProcess.run(
                ["--config", config.path, "--lb", "127.0.0.1:\(port)", "--once"], stdin: "alice\nalice\n"
            )
        }

        #expect(result.status == 7)
        #expect(result.stdout.hasSuffix("Session on 127.0.0.1 ended (status 7).\n"))
    }

    @Test func theLoadBalancersComeFromTheBootFileWhenNeitherOptionNorConfigurationNamesThem() async throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let sessions = folder.appendingPathComponent("sessions")
        let list = folder.appendingPathComponent("load-balancers")
        let config = try writeLoginConfiguration(
            in: folder, displayCommand: recordingDisplay(sessions), loadBalancersFile: list.path
        )
        let closedPort = try RefusingPort()
        defer { closedPort.close() }
        let closed = closedPort.port
        let balancer = StandInLoadBalancer(answers: ["alice": .ok(["127.0.0.1"])])

        let result = try await withLoadBalancer(balancer) { port in
            try "# written by the DHCP hook\n127.0.0.1:\(closed)\n\n127.0.0.1:\(port)  # second\n".write(to: list, atomically: true, encoding: .utf8)
            return try await TCLoginProcess.run(["--config", config.path], stdin: "alice\n")
        }

        #expect(result.status == 0)
        #expect(contents(of: sessions) == "session on 127.0.0.1\n")
    }

    @Test func withNoLoadBalancerAnywhereItExits78SayingWhereItLooked() async throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let missing = folder.appendingPathComponent("load-balancers").path
        let config = try writeLoginConfiguration(in: folder, displayCommand: ["X", "-query", "{server}"], loadBalancersFile: missing)

        let result = try await TCLoginProcess.run(["--config", config.path], stdin: "alice\n")

        #expect(result.status == 78)
        #expect(result.stderr.contains("no --lb option; login.loadBalancers is empty in \(config.path); \(missing) does not exist"))
        #expect(result.stdout.isEmpty)
    }

    @Test func aDisplayCommandThatDoesNotExistIsReportedAndTheNextUsernameIsStillServed() async throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let config = try writeLoginConfiguration(in: folder, displayCommand: ["tc-no-such-x-server", "-query", "{server}"])
        let balancer = StandInLoadBalancer(answers: ["alice": .ok(["127.0.0.1"])])

        let result = try await withLoadBalancer(balancer) { port in
            try await TCLoginProcess.run(["--config", config.path, "--lb", "127.0.0.1:\(port)"], stdin: "alice\nalice\n")
        }

        #expect(result.status == 0)
        let refusal = "Cannot start the display: \"tc-no-such-x-server\" was not found in"
        #expect(result.stdout.components(separatedBy: refusal).count == 3)
        #expect(await balancer.seen.lines.count == 2)
    }

    @Test func sigtermStopsTheRunningSessionAndTCLogin() async throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let started = folder.appendingPathComponent("started")
        // The shell records its pid and becomes `sleep`, which must die of the SIGTERM that
        // tc-login forwards (not be left running, not need the SIGKILL that follows 5 s later).
        let display = ["/bin/sh", "-c", "echo $$ > '\(started.path)'; exec sleep 60", "{server}"]
        let config = try writeLoginConfiguration(in: folder, displayCommand: display)
        let balancer = StandInLoadBalancer(answers: ["alice": .ok(["127.0.0.1"])])

        let result = try await withLoadBalancer(balancer) { port in
            let child = try TCLoginProcess(
                ["--config", config.path, "--lb", "127.0.0.1:\(port)", "--log-level", "info"], stdin: "alice\n"
            )
            defer { child.stop() }
            try await withTimeout {
                while contents(of: started).isEmpty { try await Task.sleep(for: .milliseconds(20)) }
            }
            child.send(SIGTERM)
            return (await child.finish(timeout: .seconds(20)), contents(of: started))
        }

        let (finished, pidText) = result
        #expect(!finished.timedOut)
        #expect(finished.status == 0)
        #expect(finished.stderr.contains("exit=signal 15"))
        let pid = try #require(pid_t(pidText.trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(kill(pid, 0) == -1 && errno == ESRCH, "the session's process must be gone")
    }
}
