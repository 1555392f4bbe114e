import ClusterCore

/// Where the login loop prompts, reads usernames and shows messages: the console on a thin
/// client, a script in tests.
protocol LoginTerminal: Sendable {
    /// Shows `text` as it is (a prompt has no line end; a message brings its own).
    func write(_ text: String) async
    /// The next line without its line end; nil at end of input or when the task is cancelled.
    func readLine() async -> String?
}

/// How the login loop asks the load balancers: `LineClient` with its ordered fail-over, or a
/// stand-in in tests.
protocol LoadBalancerTransport: Sendable {
    /// The first answer other than `ERR unavailable`, or why there is none.
    func send(_ request: Request) async throws(LineClientError) -> LineReply
}

extension LineClient: LoadBalancerTransport {}

/// Runs the display command and waits for the session to end.
protocol DisplayLauncher: Sendable {
    /// Runs `arguments` (program first) with tc-login's standard input, output and error, and
    /// returns when it exits. When the calling task is cancelled the command is asked to stop
    /// and still waited for, so that no X server outlives tc-login.
    func run(_ arguments: [String]) async throws(DisplayLaunchError) -> DisplayExit
}
