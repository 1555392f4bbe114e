#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore
import NIOPosix

/// Sends one request to the first endpoint that answers, in the order given.
///
/// Each attempt opens a connection, sends one line, reads one line and closes, all within
/// `timeout`. A transport failure (refused, timed out, reset, closed without an answer, a
/// line that is not a response) or an `ERR unavailable` answer moves on to the next
/// endpoint; any other response, errors included, is returned with the endpoint that gave
/// it. The order is the caller's preference (e.g. primary load balancer first).
///
/// Fail-over may deliver a request to a second server after the first handled it but its
/// answer was lost (a timeout, a reset). Verbs sent through a client should therefore be
/// idempotent, or carry something that lets the server recognise a repeat.
public struct LineClient: Sendable {
    /// The endpoints, in the order they are tried.
    public let endpoints: [Endpoint]
    /// The time allowed per endpoint for connecting, sending and reading the answer.
    public let timeout: Duration
    /// The longest response line accepted, in bytes, excluding the terminator.
    public let maximumResponseLength: Int
    private let signer: RequestSigner?
    private let eventLoopGroup: any EventLoopGroup

    /// - Parameters:
    ///   - endpoints: tried in this order.
    ///   - timeout: per endpoint, covering connect, send and answer. Default 5 s.
    ///   - signingKey: when given, every request is sent signed (`AUTH ...`), with a fresh
    ///     timestamp and nonce per attempt.
    ///   - maximumResponseLength: default 1 MiB; responses (a listing) can be longer than requests.
    ///   - eventLoopGroup: a `MultiThreadedEventLoopGroup` or one of its loops.
    public init(
        endpoints: [Endpoint],
        timeout: Duration = .seconds(5),
        signingKey: ClusterKey? = nil,
        maximumResponseLength: Int = 1 << 20,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) {
        precondition(maximumResponseLength > 0, "maximumResponseLength must be positive")
        self.endpoints = endpoints
        self.timeout = timeout
        self.maximumResponseLength = maximumResponseLength
        self.signer = signingKey.map { RequestSigner(key: $0) }
        self.eventLoopGroup = eventLoopGroup
    }

    /// Sends `request` and returns the first answer, trying the endpoints in order.
    public func send(_ request: Request) async throws(LineClientError) -> LineReply {
        guard !endpoints.isEmpty else { throw .noEndpoints }
        var failures = [EndpointFailure]()
        for endpoint in endpoints {
            guard !Task.isCancelled else { throw .cancelled(failures) }
            switch await attempt(request, at: endpoint) {
            case .answered(.error(.unavailable, let message)):
                failures.append(EndpointFailure(endpoint: endpoint, reason: .unavailable(message)))
            case .answered(let response):
                return LineReply(response: response, endpoint: endpoint, failures: failures)
            case .failed(let reason):
                guard !Task.isCancelled else { throw .cancelled(failures) }
                failures.append(EndpointFailure(endpoint: endpoint, reason: reason))
            }
        }
        throw .allEndpointsFailed(failures)
    }

    /// One exchange with one endpoint, bounded by `timeout`: the exchange races a sleep, and
    /// whichever loses is cancelled (cancelling the exchange closes its connection).
    private func attempt(_ request: Request, at endpoint: Endpoint) async -> AttemptOutcome {
        let line = signer?.signedLine(for: request) ?? request.serialized()
        let timeout = self.timeout
        do {
            let response = try await withThrowingTaskGroup(of: Response.self) { group in
                group.addTask { try await exchange(line, with: endpoint) }
                group.addTask {
                    try await Task.sleep(for: timeout)
                    throw AttemptError.timedOut
                }
                defer { group.cancelAll() }
                guard let first = try await group.next() else { throw AttemptError.timedOut }
                return first
            }
            return .answered(response)
        } catch {
            return .failed(Self.reason(for: error))
        }
    }

    private func exchange(_ line: String, with endpoint: Endpoint) async throws -> Response {
        let maximumResponseLength = self.maximumResponseLength
        let channel = try await ClientBootstrap(group: eventLoopGroup)
            .connectTimeout(TimeAmount(timeout))
            .connect(host: endpoint.host, port: Int(endpoint.port)) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        ByteToMessageHandler(LineFrameDecoder(maximumLineLength: maximumResponseLength))
                    )
                    return try NIOAsyncChannel<LineFrame, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            var buffer = channel.channel.allocator.buffer(capacity: line.utf8.count + 1)
            buffer.writeString(line)
            buffer.writeInteger(UInt8(ascii: "\n"))
            try await outbound.write(buffer)
            for try await frame in inbound {
                switch frame {
                case .line(let text):
                    do throws(ProtocolError) {
                        return try Response(parsing: text)
                    } catch {
                        throw AttemptError.invalidResponse(error.description)
                    }
                case .invalidEncoding:
                    throw AttemptError.invalidResponse("not valid UTF-8")
                case .tooLong:
                    throw AttemptError.invalidResponse("longer than \(maximumResponseLength) bytes")
                }
            }
            throw AttemptError.closedWithoutAnswer
        }
    }

    private enum AttemptOutcome {
        case answered(Response)
        case failed(EndpointFailure.Reason)
    }

    /// Failures found by the client itself rather than reported by NIO.
    private enum AttemptError: Error {
        case timedOut
        case closedWithoutAnswer
        case invalidResponse(String)
    }

    private static func reason(for error: any Error) -> EndpointFailure.Reason {
        switch error {
        case AttemptError.timedOut, ChannelError.connectTimeout:
            return .timedOut
        case AttemptError.closedWithoutAnswer, ChannelError.ioOnClosedChannel, ChannelError.eof,
             ChannelError.outputClosed, ChannelError.inputClosed, ChannelError.alreadyClosed:
            return .closedWithoutAnswer
        case AttemptError.invalidResponse(let reason):
            return .invalidResponse(reason)
        case let error as NIOConnectionError:
            let errnos = error.connectionErrors.compactMap { ($0.error as? IOError)?.errnoCode }
            if !errnos.isEmpty, errnos.allSatisfy({ $0 == ECONNREFUSED }) { return .refused }
            if error.connectionErrors.contains(where: { if case ChannelError.connectTimeout = $0.error { true } else { false } }) {
                return .timedOut
            }
            if error.connectionErrors.isEmpty { return .transport("cannot resolve host \(error.host)") }
            return .transport(error.connectionErrors.map { "\($0.target): \($0.error)" }.joined(separator: ", "))
        case let error as IOError where error.errnoCode == ECONNRESET || error.errnoCode == EPIPE:
            return .reset
        default:
            return .transport(String(describing: error))
        }
    }
}
