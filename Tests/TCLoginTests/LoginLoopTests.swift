import ClusterCore
import Logging
import Testing

@testable import TCLogin

/// A console that types the given lines, then ends input, and keeps everything written.
actor ScriptedTerminal: LoginTerminal {
    private var lines: [String]
    private(set) var output = ""

    init(_ lines: [String]) {
        self.lines = lines
    }

    func write(_ text: String) { output += text }

    func readLine() -> String? {
        lines.isEmpty ? nil : lines.removeFirst()
    }
}

/// Answers from a table of usernames, as the whole fail-over list would, and records requests.
actor StandInTransport: LoadBalancerTransport {
    private let answers: [String: Result<LineReply, LineClientError>]
    private(set) var requests: [String] = []

    init(_ answers: [String: Result<LineReply, LineClientError>]) {
        self.answers = answers
    }

    func send(_ request: Request) async throws(LineClientError) -> LineReply {
        requests.append(request.serialized())
        let username = request.arguments.first ?? ""
        return try (answers[username] ?? .failure(.allEndpointsFailed([]))).get()
    }
}

/// Records every command it is asked to run and answers with a fixed result.
actor RecordingLauncher: DisplayLauncher {
    private let result: Result<DisplayExit, DisplayLaunchError>
    private(set) var commands: [[String]] = []

    init(_ result: Result<DisplayExit, DisplayLaunchError>) {
        self.result = result
    }

    func run(_ arguments: [String]) async throws(DisplayLaunchError) -> DisplayExit {
        commands.append(arguments)
        return try result.get()
    }
}

@Suite("Login loop with stand-ins")
struct LoginLoopTests {
    private static let lb = Endpoint(host: "10.0.0.2", port: 7700)
    private static let answers: [String: Result<LineReply, LineClientError>] = [
        "alice": .success(LineReply(response: .ok(["10.0.0.7"]), endpoint: lb)),
        "bob": .success(LineReply(response: .error(.notFound, "no such user"), endpoint: lb)),
        "carol": .failure(.allEndpointsFailed([EndpointFailure(endpoint: lb, reason: .timedOut)])),
    ]

    private func loop(
        _ lines: [String],
        launcher: RecordingLauncher = RecordingLauncher(.success(.exited(0))),
        once: Bool = false
    ) throws -> (LoginLoop, ScriptedTerminal, StandInTransport) {
        let terminal = ScriptedTerminal(lines)
        let transport = StandInTransport(Self.answers)
        let settings = LoginSettings(
            loadBalancers: LoadBalancerList(endpoints: [Self.lb], source: .option),
            timeout: .seconds(1),
            displayCommand: try DisplayCommand(words: ["X", "-query", "{server}", "-terminate"]),
            clientID: "tc-07",
            prompt: "login: ",
            once: once
        )
        var logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
        logger.logLevel = .critical
        let loop = LoginLoop(settings: settings, terminal: terminal, transport: transport, launcher: launcher, logger: logger)
        return (loop, terminal, transport)
    }

    @Test func aChosenServerGetsTheDisplayCommandAndThePromptComesBackWhenItEnds() async throws {
        let launcher = RecordingLauncher(.success(.exited(0)))
        let (loop, terminal, transport) = try loop(["alice"], launcher: launcher)

        let status = await loop.run()

        #expect(status == 0)
        #expect(await launcher.commands == [["X", "-query", "10.0.0.7", "-terminate"]])
        #expect(await transport.requests == ["SERVER alice tc-07"])
        #expect(await terminal.output == """
            login: Starting the session for alice on 10.0.0.7...
            Session on 10.0.0.7 ended.
            login: \n
            """)
    }

    @Test func blankLinesPromptAgainAndInvalidNamesAreNeverSent() async throws {
        let launcher = RecordingLauncher(.success(.exited(0)))
        let (loop, terminal, transport) = try loop(["", "   ", "al/ice"], launcher: launcher)

        #expect(await loop.run() == 0)
        #expect(await transport.requests.isEmpty)
        #expect(await launcher.commands.isEmpty)
        #expect(await terminal.output.hasPrefix("login: login: login: \"al/ice\" is not a valid username"))
    }

    @Test func refusalsAreShownAndTheNextPersonIsServed() async throws {
        let launcher = RecordingLauncher(.success(.exited(0)))
        let (loop, terminal, _) = try loop(["bob", "carol", "alice"], launcher: launcher)

        #expect(await loop.run() == 0)
        #expect(await terminal.output == """
            login: Unknown user "bob". Check the spelling and try again.
            login: No server is available for carol right now. Please try again in a moment.
            login: Starting the session for alice on 10.0.0.7...
            Session on 10.0.0.7 ended.
            login: \n
            """)
        #expect(await launcher.commands.count == 1)
    }

    @Test func aDisplayCommandThatCannotStartIsReportedAndTheLoopGoesOn() async throws {
        let launcher = RecordingLauncher(.failure(.notFound(program: "X", searchPath: "/usr/bin")))
        let (loop, terminal, transport) = try loop(["alice", "alice"], launcher: launcher)

        #expect(await loop.run() == 0)
        #expect(await launcher.commands.count == 2)
        #expect(await transport.requests.count == 2)
        let output = await terminal.output
        #expect(output.contains("Cannot start the display: \"X\" was not found in /usr/bin. Please tell your administrator.\nlogin: "))
    }

    @Test func aSessionThatFailsSaysHow() async throws {
        let (loop, terminal, _) = try loop(["alice"], launcher: RecordingLauncher(.success(.signalled(9))))
        #expect(await loop.run() == 0)
        #expect(await terminal.output.contains("Session on 10.0.0.7 ended (signal 9).\n"))
    }

    @Test(arguments: [
        (["alice"], Result<DisplayExit, DisplayLaunchError>.success(.exited(3)), Int32(3)),
        (["alice"], .success(.signalled(15)), 143),
        (["alice"], .failure(.notFound(program: "X", searchPath: "")), 127),
        (["", "bob", "alice"], .success(.exited(0)), 1),
        (["carol", "alice"], .success(.exited(0)), 69),
        (["al ice", "alice"], .success(.exited(0)), 1),
        ([], .success(.exited(0)), 0),
    ])
    func onceHandlesOneUsernameAndExitsWithItsStatus(lines: [String], display: Result<DisplayExit, DisplayLaunchError>, status: Int32) async throws {
        let launcher = RecordingLauncher(display)
        let (loop, _, transport) = try loop(lines, launcher: launcher, once: true)
        #expect(await loop.run() == status)
        #expect(await transport.requests.count <= 1)
    }

    @Test func aCancelledLoopStopsWithoutPrompting() async throws {
        let (loop, terminal, _) = try loop(["alice"])
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return await loop.run()
        }
        #expect(await task.value == 0)
        #expect(await terminal.output.isEmpty)
    }
}
