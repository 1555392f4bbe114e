/// A response obtained by `LineClient`, with where it came from.
public struct LineReply: Hashable, Sendable {
    /// The response; any response except `ERR unavailable`, which makes the client move on.
    public var response: Response
    /// The endpoint that answered.
    public var endpoint: Endpoint
    /// The endpoints tried before it and why each failed, worth a warning in logs.
    public var failures: [EndpointFailure]

    /// A reply from `endpoint`, after `failures` of the endpoints tried before it.
    public init(response: Response, endpoint: Endpoint, failures: [EndpointFailure] = []) {
        self.response = response
        self.endpoint = endpoint
        self.failures = failures
    }
}
