/// Why one endpoint did not give `LineClient` an answer.
public struct EndpointFailure: Hashable, Sendable, CustomStringConvertible {
    /// What went wrong, from the client's side.
    public enum Reason: Hashable, Sendable, CustomStringConvertible {
        /// Nothing listens there: the connection was refused.
        case refused
        /// No connection or no answer within the per-endpoint timeout.
        case timedOut
        /// The server reset the connection.
        case reset
        /// The server closed the connection without answering.
        case closedWithoutAnswer
        /// The server answered `ERR unavailable` with this message.
        case unavailable(String)
        /// The server answered something that is not a response line.
        case invalidResponse(String)
        /// Any other transport failure (name resolution, unreachable network, ...).
        case transport(String)

        public var description: String {
            switch self {
            case .refused: return "connection refused"
            case .timedOut: return "timed out"
            case .reset: return "connection reset"
            case .closedWithoutAnswer: return "closed the connection without answering"
            case .unavailable(let message): return message.isEmpty ? "unavailable" : "unavailable: \(message)"
            case .invalidResponse(let reason): return "invalid response: \(reason)"
            case .transport(let reason): return reason
            }
        }
    }

    /// The endpoint tried.
    public var endpoint: Endpoint
    /// Why it gave no answer.
    public var reason: Reason

    /// A failure of `endpoint` for `reason`.
    public init(endpoint: Endpoint, reason: Reason) {
        self.endpoint = endpoint
        self.reason = reason
    }

    public var description: String { "\(endpoint): \(reason)" }
}

/// Why `LineClient.send(_:)` has no response.
public enum LineClientError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The client was created with no endpoints.
    case noEndpoints
    /// Every endpoint failed; one entry per endpoint, in the order tried.
    case allEndpointsFailed([EndpointFailure])
    /// The calling task was cancelled; `failures` lists the endpoints tried before that.
    case cancelled([EndpointFailure])

    public var description: String {
        switch self {
        case .noEndpoints:
            return "no endpoints configured"
        case .allEndpointsFailed(let failures):
            return "no endpoint answered: " + failures.map(\.description).joined(separator: "; ")
        case .cancelled(let failures):
            return failures.isEmpty
                ? "request cancelled"
                : "request cancelled after: " + failures.map(\.description).joined(separator: "; ")
        }
    }
}
