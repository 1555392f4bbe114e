import NIOCore

/// Serves the requests of a `LineServer`: the daemon-specific part of the protocol.
///
/// Called once per request line that passed framing, parsing and authentication, in order
/// for each connection and concurrently across connections. Return `.error(.unknownVerb, ...)`
/// for verbs you do not serve. Requests that failed authentication never reach a handler.
public protocol LineRequestHandler: Sendable {
    /// The response to `request`.
    func handle(_ request: Request, context: RequestContext) async -> Response
}

/// What a handler knows about where a request came from.
public struct RequestContext: Sendable {
    /// True when the request was signed with the cluster key and passed every check
    /// (`RequestAuthenticator`); false for a plain request.
    public var isAuthenticated: Bool
    /// The peer's address, if the socket still knows it.
    public var peerAddress: SocketAddress?

    /// A context; servers create these, tests of handlers may too.
    public init(isAuthenticated: Bool, peerAddress: SocketAddress?) {
        self.isAuthenticated = isAuthenticated
        self.peerAddress = peerAddress
    }
}
