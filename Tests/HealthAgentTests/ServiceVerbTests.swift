import ClusterTestSupport
import ClusterCore
import Foundation
import Testing

@testable import HealthAgent

/// `SERVICE start|stop <name>`, with small scripts standing in for systemctl.
@Suite struct ServiceVerbTests {
    typealias Fixture = HealthRequestHandlerTests.Fixture
    static let signed = HealthRequestHandlerTests.signed

    @Test func aManagedServiceIsStartedWithTheCommandAndNoShell() async throws {
        let scripts = try TemporaryDirectory()
        defer { scripts.remove() }
        // Each argument on its own line: a shell would have split or expanded them.
        let command = try scripts.script("svc", #"printf '%s\n' "$@" > "$(dirname "$0")/args""#)
        let fixture = try Fixture(serviceCommand: command)
        defer { fixture.directory.remove() }
        #expect(try await fixture.send("SERVICE start tc-lbd", Self.signed) == .ok(["tc-lbd", "started"]))
        #expect(try String(contentsOfFile: scripts.file("args"), encoding: .utf8) == "start\ntc-lbd\n")
        #expect(try await fixture.send("SERVICE stop nfs-server", Self.signed) == .ok(["nfs-server", "stopped"]))
        #expect(try String(contentsOfFile: scripts.file("args"), encoding: .utf8) == "stop\nnfs-server\n")
    }

    @Test func aFailingCommandIsReportedWithItsStatusAndFirstErrorLine() async throws {
        let scripts = try TemporaryDirectory()
        defer { scripts.remove() }
        let command = try scripts.script("svc", """
            echo "Failed to start tc-lbd.service: Unit tc-lbd.service not found." >&2
            echo "second line" >&2
            exit 5
            """)
        let fixture = try Fixture(serviceCommand: command)
        defer { fixture.directory.remove() }
        #expect(try await fixture.send("SERVICE start tc-lbd", Self.signed) == .error(
            .internal, "\(command) start tc-lbd exited with status 5: Failed to start tc-lbd.service: Unit tc-lbd.service not found."
        ))
    }

    @Test func aFailureWithoutStderrGivesTheStatusAlone() async throws {
        let fixture = try Fixture(serviceCommand: "/bin/false")
        defer { fixture.directory.remove() }
        #expect(try await fixture.send("SERVICE stop tc-lbd", Self.signed) == .error(.internal, "/bin/false stop tc-lbd exited with status 1"))
    }

    @Test func aCommandThatHangsIsStoppedAfterTheTimeout() async throws {
        let scripts = try TemporaryDirectory()
        defer { scripts.remove() }
        let command = try scripts.script("svc", "exec sleep 60")
        let fixture = try Fixture(serviceCommand: command, serviceTimeout: .milliseconds(300))
        defer { fixture.directory.remove() }
        // Bounded by withTimeout; the answer itself shows the runner's own timeout fired.
        let response = try await withTimeout(.seconds(10)) { try await fixture.send("SERVICE start tc-lbd", Self.signed) }
        #expect(response == .error(.internal, "\(command) start tc-lbd did not finish within 300 ms and was stopped"))
    }

    @Test func aCommandThatIgnoresSIGTERMIsKilled() async throws {
        let scripts = try TemporaryDirectory()
        defer { scripts.remove() }
        let command = try scripts.script("svc", "trap '' TERM\nwhile :; do sleep 0.05; done")
        let fixture = try Fixture(serviceCommand: command, serviceTimeout: .milliseconds(200))
        defer { fixture.directory.remove() }
        let response = try await withTimeout(.seconds(10)) { try await fixture.send("SERVICE start tc-lbd", Self.signed) }
        guard case .error(.internal, let message) = response else {
            Issue.record("expected ERR internal, got \(response)")
            return
        }
        #expect(message.contains("did not finish"))
    }

    @Test func aMissingCommandIsAnInternalError() async throws {
        let fixture = try Fixture(serviceCommand: "/nonexistent/systemctl")
        defer { fixture.directory.remove() }
        let response = try await fixture.send("SERVICE start tc-lbd", Self.signed)
        guard case .error(.internal, let message) = response else {
            Issue.record("expected ERR internal, got \(response)")
            return
        }
        #expect(message.hasPrefix("cannot run /nonexistent/systemctl"))
    }

    @Test func onlyManagedServicesAndKnownActionsAreAccepted() async throws {
        let scripts = try TemporaryDirectory()
        defer { scripts.remove() }
        let command = try scripts.script("svc", #"touch "$(dirname "$0")/ran""#)
        let fixture = try Fixture(serviceCommand: command)
        defer { fixture.directory.remove() }
        #expect(try await fixture.send("SERVICE stop sshd", Self.signed)
            == .error(.invalid, "service sshd is not managed here (health.services: tc-lbd, nfs-server)"))
        #expect(try await fixture.send("SERVICE restart tc-lbd", Self.signed)
            == .error(.invalid, "action \"restart\" is not start or stop"))
        #expect(!FileManager.default.fileExists(atPath: scripts.file("ran")))
    }

    @Test func serviceActionsAreCheckedWithoutRunningAnything() throws {
        let action = try ServiceAction(arguments: ["start", "tc-lbd"], managed: ["tc-lbd"])
        #expect(action.verb == .start)
        #expect(action.service == "tc-lbd")
        #expect(throws: ServiceActionError.arity(3)) { try ServiceAction(arguments: ["start", "a", "b"], managed: ["a"]) }
        #expect(throws: ServiceActionError.notManaged("x", managed: [])) { try ServiceAction(arguments: ["stop", "x"], managed: []) }
        #expect(ServiceActionError.notManaged("x", managed: []).description.contains("health.services: none"))
    }
}
