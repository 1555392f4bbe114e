import ClusterCore

/// One login attempt, from the line typed at the prompt to what to do about it: the pure core
/// of tc-login, with no terminal, socket or process in it.
///
/// The paper's thin client "prompts for the username ... sends it to one of the running Load
/// balancer[s]" and opens the X session on the server it answers (section 6, steps 1-4). This
/// type decides what is sent and how each answer reads to the person at the screen.
struct LoginSession: Equatable, Sendable {
    /// The verb of the load balancer's thin-client request: `SERVER <username> [<client-id>]`.
    static let verb = "SERVER"

    /// The username, trimmed and valid.
    let username: String
    /// The thin client's name, sent after the username when known.
    let clientID: String?

    /// What a line typed at the prompt leads to.
    enum Start: Equatable, Sendable {
        /// Nothing typed (or only spaces): prompt again without a word, as getty does.
        case blank
        /// The line cannot be a username; show the outcome's message and prompt again.
        case refused(LoginOutcome)
        /// Ask the load balancers.
        case ask(LoginSession)
    }

    /// Trims `line` and checks it with the directory's own rule before anything is sent: a name
    /// the directory could never hold is refused here, with the reason, instead of costing a
    /// round trip and coming back as an unhelpful `ERR invalid`.
    static func start(line: String, clientID: String?) -> Start {
        let name = line.trimmingWhitespace()
        guard !name.isEmpty else { return .blank }
        do {
            try Names.validateUsername(name)
        } catch {
            return .refused(.invalidUsername(name, reason: reason(error)))
        }
        return .ask(LoginSession(username: name, clientID: clientID))
    }

    /// The request's arguments: the username, then the client ID when known.
    var arguments: [String] {
        [username] + (clientID.map { [$0] } ?? [])
    }

    /// The request to send; `SERVER` is a valid verb, so building it does not fail in practice.
    func request() throws(ProtocolError) -> Request {
        try Request(verb: Self.verb, arguments: arguments)
    }

    /// How a load balancer's answer, or the failure to get one, reads for this username.
    func outcome(of result: Result<LineReply, LineClientError>) -> LoginOutcome {
        switch result {
        case .success(let reply):
            return outcome(of: reply)
        case .failure(.allEndpointsFailed(let failures)):
            return .noServer(username, failures: failures)
        case .failure(.noEndpoints):
            return .noServer(username, failures: [])
        case .failure(.cancelled):
            return .cancelled
        }
    }

    /// The answer of the load balancer that replied.
    func outcome(of reply: LineReply) -> LoginOutcome {
        switch reply.response {
        case .ok(let values):
            guard values.count == 1, let address = values.first, Self.isServerAddress(address) else {
                return .unusableAnswer(username, answer: reply.response.serialized())
            }
            return .startSession(server: address)
        case .error(.notFound, _):
            return .unknownUser(username)
        case .error(.unavailable, let text):
            // LineClient moves on past `ERR unavailable`, so this is only seen from another transport.
            return .noServer(username, failures: reply.failures + [EndpointFailure(endpoint: reply.endpoint, reason: .unavailable(text))])
        case .error(.rateLimited, let text):
            return .rateLimited(message: text)
        case let .error(code, text):
            return .refused(username, code: code, message: text)
        }
    }

    /// An IPv4 or IPv6 literal or a DNS name, checked with the same rules as a configured
    /// endpoint. The address becomes an argument of the display command: a value such as
    /// `-fp /tmp` from a faulty or hostile load balancer must not turn into X server options.
    static func isServerAddress(_ text: String) -> Bool {
        let probe = text.contains(":") ? "[\(text)]:1" : "\(text):1"
        return (try? Endpoint(parsing: probe)) != nil
    }

    private static func reason(_ error: DirectoryError) -> String {
        if case let .invalid(_, _, reason) = error { return reason }
        return error.description
    }
}
