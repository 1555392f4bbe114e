import NIOCore

/// Turns one decoded line into one response: the protocol-level decisions of a `LineServer`
/// (framing errors, syntax, authentication) before and around the daemon's handler.
/// It does no I/O itself, so each rule is tested without sockets.
struct RequestDispatcher: Sendable {
    let handler: any LineRequestHandler
    let authenticator: RequestAuthenticator?
    let maximumLineLength: Int

    func response(to frame: LineFrame, peer: SocketAddress?) async -> Response {
        switch frame {
        case .tooLong:
            return .error(.tooLong, "request line exceeds \(maximumLineLength) bytes; closing connection")
        case .invalidEncoding:
            return .error(.encoding, "request line is not valid UTF-8")
        case .line(let line):
            return await response(to: line, peer: peer)
        }
    }

    private func response(to line: String, peer: SocketAddress?) async -> Response {
        let outcome: AuthenticationOutcome
        do throws(ProtocolError) {
            outcome = try await classify(line)
        } catch {
            return .error(.syntax, error.description)
        }
        switch outcome {
        case .plain(let request):
            return await handler.handle(request, context: RequestContext(isAuthenticated: false, peerAddress: peer))
        case .authenticated(let request):
            return await handler.handle(request, context: RequestContext(isAuthenticated: true, peerAddress: peer))
        case .rejected(let failure):
            return failure.response
        }
    }

    /// Without an authenticator every request is plain, and a signed one is refused rather
    /// than handed over as a request for the verb `AUTH`.
    private func classify(_ line: String) async throws(ProtocolError) -> AuthenticationOutcome {
        if let authenticator {
            return try await authenticator.authenticate(line)
        }
        guard !SignedRequestLine.isSigned(line) else { return .rejected(.noKey) }
        return .plain(try Request(parsing: line))
    }
}
