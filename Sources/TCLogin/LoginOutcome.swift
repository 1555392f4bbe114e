import ClusterCore

/// What came of one username: a server to open the session on, or the reason there is none.
///
/// `message` is what the person at the thin client reads: in a school lab that is a pupil, so
/// it says what to do next, and never shows a protocol code unless nothing better is known.
enum LoginOutcome: Equatable, Sendable {
    /// Open the session on this server.
    case startSession(server: String)
    /// The name cannot be a username; it was not sent.
    case invalidUsername(String, reason: String)
    /// The load balancer does not know the user (`ERR not-found`).
    case unknownUser(String)
    /// Every load balancer was unreachable, timed out or had no live server for the user.
    case noServer(String, failures: [EndpointFailure])
    /// A load balancer answered `ERR rate-limited`, with its text.
    case rateLimited(message: String)
    /// A load balancer refused for another reason (`ERR invalid`, `ERR internal`, ...).
    case refused(String, code: ErrorCode, message: String)
    /// A load balancer answered `OK` without a usable address: a fault on the cluster's side.
    case unusableAnswer(String, answer: String)
    /// tc-login is shutting down; nothing is shown.
    case cancelled

    /// The line shown at the prompt, or nil when the session starts or tc-login is stopping.
    var message: String? {
        switch self {
        case .startSession, .cancelled:
            return nil
        case let .invalidUsername(name, reason):
            return "\"\(TerminalText.printable(name))\" is not a valid username: \(reason). Check the spelling and try again."
        case .unknownUser(let name):
            return "Unknown user \"\(TerminalText.printable(name))\". Check the spelling and try again."
        case .noServer(let name, _):
            return "No server is available for \(TerminalText.printable(name)) right now. Please try again in a moment."
        case .rateLimited(let text):
            return "Too many login attempts (\(Self.shown(text, or: "rate limited"))). Please wait a moment and try again."
        case let .refused(_, code, text):
            return "Login refused: \(Self.shown(text, or: code.rawValue)). Ask your administrator if this keeps happening."
        case .unusableAnswer:
            return "The load balancer gave an answer tc-login cannot use. Please tell your administrator."
        }
    }

    /// The exit status of `tc-login --once` when no session ran: 1 when this username was
    /// refused, 69 (EX_UNAVAILABLE) when no server could be reached, so a script can retry
    /// the second and not the first.
    var onceExitStatus: Int32 {
        switch self {
        case .startSession, .cancelled: return 0
        case .noServer: return 69
        case .invalidUsername, .unknownUser, .rateLimited, .refused, .unusableAnswer: return 1
        }
    }

    private static func shown(_ text: String, or fallback: String) -> String {
        text.isEmpty ? fallback : TerminalText.printable(text, limit: 120)
    }
}
