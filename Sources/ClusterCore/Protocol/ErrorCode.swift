/// The machine-readable code of an `ERR` response.
///
/// Codes are 1-32 characters of `a-z`, `0-9` and `-`. The known ones have cases; a code this
/// build does not know (a newer peer) parses as `.other`, so old clients keep working and can
/// still show the message. Construct known codes with their case: `.other("auth")` is not
/// equal to `.auth`.
public enum ErrorCode: Hashable, Sendable, CustomStringConvertible {
    /// The line is not a well-formed request (bad verb, bad token, empty line).
    case syntax
    /// The verb is well formed but the daemon does not implement it.
    case unknownVerb
    /// Authentication failed; the text starts with the reason (`unsigned`, `bad-mac`, ...).
    case auth
    /// The named object does not exist.
    case notFound
    /// The request contradicts current state (already exists, version mismatch).
    case conflict
    /// The arguments are well formed but their values are not acceptable.
    case invalid
    /// The request line exceeds the server's maximum length; the server closes the connection.
    case tooLong
    /// The request line is not valid UTF-8.
    case encoding
    /// The server closed an idle connection.
    case timeout
    /// The server cannot serve this now; a client should try another endpoint.
    case unavailable
    /// The client sends too many requests.
    case rateLimited
    /// The server failed; the request may or may not have taken effect.
    case `internal`
    /// A code this build does not know.
    case other(String)

    /// Every code with a case, for tables and tests.
    public static let known: [ErrorCode] = [
        .syntax, .unknownVerb, .auth, .notFound, .conflict, .invalid,
        .tooLong, .encoding, .timeout, .unavailable, .rateLimited, .internal,
    ]

    /// Maps the wire spelling to a case; never fails, unknown spellings become `.other`.
    public init(rawValue: String) {
        self = Self.known.first { $0.rawValue == rawValue } ?? .other(rawValue)
    }

    /// The wire spelling, e.g. `not-found`.
    public var rawValue: String {
        switch self {
        case .syntax: return "syntax"
        case .unknownVerb: return "unknown-verb"
        case .auth: return "auth"
        case .notFound: return "not-found"
        case .conflict: return "conflict"
        case .invalid: return "invalid"
        case .tooLong: return "too-long"
        case .encoding: return "encoding"
        case .timeout: return "timeout"
        case .unavailable: return "unavailable"
        case .rateLimited: return "rate-limited"
        case .internal: return "internal"
        case .other(let code): return code
        }
    }

    public var description: String { rawValue }

    /// True for 1-32 characters of `a-z`, `0-9` and `-`.
    public static func isWellFormed(_ code: some StringProtocol) -> Bool {
        (1...32).contains(code.utf8.count) && code.utf8.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || byte == UInt8(ascii: "-")
        }
    }
}
