import ClusterCore
import Testing

@testable import TCLogin

@Suite("Login session: what a typed line and an answer lead to")
struct LoginSessionTests {
    private let session = LoginSession(username: "alice", clientID: "tc-07")
    private let lb1 = Endpoint(host: "10.0.0.2", port: 7700)
    private let lb2 = Endpoint(host: "10.0.0.3", port: 7700)

    private func answered(_ response: Response, failures: [EndpointFailure] = []) -> Result<LineReply, LineClientError> {
        .success(LineReply(response: response, endpoint: lb2, failures: failures))
    }

    @Test func aLineIsTrimmedAndAnEmptyOneIsBlank() {
        #expect(LoginSession.start(line: "  alice \t\r", clientID: "tc-07") == .ask(session))
        #expect(LoginSession.start(line: "", clientID: nil) == .blank)
        #expect(LoginSession.start(line: " \t ", clientID: nil) == .blank)
    }

    @Test(arguments: [
        ("al ice", "only letters, digits, '.', '_' and '-' are allowed"),
        ("-alice", "must not start with '-'"),
        ("1234", "must not be all digits"),
        (String(repeating: "a", count: 33), "must be 1 to 32 characters"),
    ])
    func aNameTheDirectoryCouldNotHoldIsRefusedWithTheReason(line: String, reason: String) {
        #expect(LoginSession.start(line: line, clientID: nil) == .refused(.invalidUsername(line, reason: reason)))
    }

    @Test func theRequestIsServerWithTheUsernameAndTheClientID() throws {
        #expect(try session.request().serialized() == "SERVER alice tc-07")
        #expect(try LoginSession(username: "alice", clientID: nil).request().serialized() == "SERVER alice")
    }

    @Test func okWithAnAddressStartsTheSession() {
        #expect(session.outcome(of: answered(.ok(["10.0.0.7"]))) == .startSession(server: "10.0.0.7"))
        #expect(session.outcome(of: answered(.ok(["fd00::7"]))) == .startSession(server: "fd00::7"))
        #expect(session.outcome(of: answered(.ok(["srv3.school.example"]))) == .startSession(server: "srv3.school.example"))
    }

    @Test(arguments: [[], ["-fp", "/tmp"], ["-fp"], ["10.0.0.7", "10.0.0.8"], ["10.0.0.300"], ["srv 3"]])
    func okWithoutOneUsableAddressIsNotRun(values: [String]) {
        let outcome = session.outcome(of: answered(.ok(values)))
        #expect(outcome == .unusableAnswer("alice", answer: Response.ok(values).serialized()))
        #expect(outcome.message == "The load balancer gave an answer tc-login cannot use. Please tell your administrator.")
    }

    @Test func notFoundIsAnUnknownUser() {
        let outcome = session.outcome(of: answered(.error(.notFound, "user alice is not in the directory")))
        #expect(outcome == .unknownUser("alice"))
        #expect(outcome.message == "Unknown user \"alice\". Check the spelling and try again.")
        #expect(outcome.onceExitStatus == 1)
    }

    @Test func everyLoadBalancerFailingMeansNoServer() {
        let failures = [
            EndpointFailure(endpoint: lb1, reason: .refused),
            EndpointFailure(endpoint: lb2, reason: .unavailable("no live server in group staff")),
        ]
        let outcome = session.outcome(of: .failure(.allEndpointsFailed(failures)))
        #expect(outcome == .noServer("alice", failures: failures))
        #expect(outcome.message == "No server is available for alice right now. Please try again in a moment.")
        #expect(outcome.onceExitStatus == 69)
    }

    @Test func anUnavailableAnswerThatReachesTheLoopIsNoServerToo() {
        let outcome = session.outcome(of: answered(.error(.unavailable, "draining")))
        #expect(outcome == .noServer("alice", failures: [EndpointFailure(endpoint: lb2, reason: .unavailable("draining"))]))
    }

    @Test func rateLimitedAndOtherRefusalsShowTheLoadBalancersText() {
        let limited = session.outcome(of: answered(.error(.rateLimited, "10 requests per second from tc-07")))
        #expect(limited.message == "Too many login attempts (10 requests per second from tc-07). Please wait a moment and try again.")
        let invalid = session.outcome(of: answered(.error(.invalid, "username has forbidden characters")))
        #expect(invalid == .refused("alice", code: .invalid, message: "username has forbidden characters"))
        #expect(invalid.message == "Login refused: username has forbidden characters. Ask your administrator if this keeps happening.")
        let bare = session.outcome(of: answered(.error(.internal, "")))
        #expect(bare.message == "Login refused: internal. Ask your administrator if this keeps happening.")
    }

    @Test func controlCharactersFromOutsideAreNotWrittenToTheConsole() {
        let outcome = session.outcome(of: answered(.error(.invalid, "bad\u{1B}[2Jname")))
        #expect(outcome.message == "Login refused: bad?[2Jname. Ask your administrator if this keeps happening.")
        let typed = LoginSession.start(line: "al\u{1B}ice", clientID: nil)
        guard case .refused(let refusal) = typed else {
            Issue.record("expected a refusal, got \(typed)")
            return
        }
        #expect(refusal.message?.hasPrefix("\"al?ice\" is not a valid username") == true)
    }

    @Test func cancellationAndNoEndpointsAreNotShownAsRefusals() {
        #expect(session.outcome(of: .failure(.cancelled([]))) == .cancelled)
        #expect(LoginOutcome.cancelled.message == nil)
        #expect(session.outcome(of: .failure(.noEndpoints)) == .noServer("alice", failures: []))
    }
}
