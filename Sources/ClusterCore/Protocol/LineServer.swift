import Logging
import NIOCore
import NIOPosix

/// A TCP server for the ThinCluster line protocol: one request line in, one response line out.
///
/// Each connection is served by its own child task, its requests in order; connections do
/// not wait for each other, so a slow or hostile client costs only its own task and buffer.
/// The pipeline of a connection is
/// `LineFrameDecoder` → `ResponseEncoder` → `ConnectionDeadlineHandler` → `NIOAsyncChannel`,
/// and `RequestDispatcher` turns each frame into a response: framing errors, syntax errors and
/// authentication failures are answered here and never reach the `LineRequestHandler`.
///
/// `run()` binds, serves until its task is cancelled, then closes the listening socket and
/// every connection and returns; it is shaped to be wrapped in a swift-service-lifecycle
/// `Service`. Nothing happens before `run()` is called.
public final class LineServer: Sendable {
    /// The limits and address this server was created with.
    public let configuration: Configuration
    private let dispatcher: RequestDispatcher
    private let eventLoopGroup: any EventLoopGroup
    private let logger: Logger
    private let listeningAddress = ListeningAddress()
    private let connections: ConnectionCounter

    /// - Parameters:
    ///   - configuration: address and limits; limits must be positive.
    ///   - handler: serves the requests that pass parsing and authentication.
    ///   - authenticator: checks signed requests and decides which verbs need one; without
    ///     it every request is plain and signed requests are refused (`ERR auth no-key`).
    ///   - eventLoopGroup: a `MultiThreadedEventLoopGroup` or one of its loops.
    ///   - logger: receives start, stop, overload and per-connection errors.
    public init(
        configuration: Configuration,
        handler: some LineRequestHandler,
        authenticator: RequestAuthenticator? = nil,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "thincluster.line-server")
    ) {
        precondition(configuration.maximumLineLength > 0, "maximumLineLength must be positive")
        precondition(configuration.maximumConnections > 0, "maximumConnections must be positive")
        precondition(configuration.idleTimeout > .zero, "idleTimeout must be positive")
        self.configuration = configuration
        self.dispatcher = RequestDispatcher(
            handler: handler, authenticator: authenticator, maximumLineLength: configuration.maximumLineLength
        )
        self.eventLoopGroup = eventLoopGroup
        self.logger = logger
        self.connections = ConnectionCounter(limit: configuration.maximumConnections)
    }

    /// The address the server is bound to. Suspends until `run()` has bound the socket;
    /// throws if binding failed or the server has stopped.
    public func localAddress() async throws -> SocketAddress {
        try await listeningAddress.value()
    }

    /// The port the server is bound to, useful after binding port 0; see `localAddress()`.
    public func localPort() async throws -> Int {
        guard let port = try await localAddress().port else { throw LineServerError.noLocalAddress }
        return port
    }

    /// Binds and serves until the surrounding task is cancelled, then closes every connection
    /// and returns normally. Throws if binding fails. Call it once.
    public func run() async throws {
        let server: NIOAsyncChannel<NIOAsyncChannel<LineFrame, Response>, Never>
        do {
            server = try await bind()
            guard let address = server.channel.localAddress else { throw LineServerError.noLocalAddress }
            await listeningAddress.publish(address)
            logger.info("line server listening", metadata: ["address": "\(address)"])
        } catch {
            await listeningAddress.finish(error)
            logger.error("line server failed to bind", metadata: ["error": "\(error)"])
            throw error
        }
        defer { logger.info("line server stopped") }
        do {
            try await withThrowingDiscardingTaskGroup { group in
                try await server.executeThenClose { inbound in
                    for try await connection in inbound {
                        await admit(connection, into: &group)
                    }
                }
                // The listener closed without cancellation: stop serving what is left too.
                group.cancelAll()
            }
        } catch where Task.isCancelled {
            // Cancellation is how the server is asked to stop; it is not a failure.
        } catch {
            await listeningAddress.finish(LineServerError.notRunning)
            throw error
        }
        await listeningAddress.finish(LineServerError.notRunning)
    }

    private func bind() async throws -> NIOAsyncChannel<NIOAsyncChannel<LineFrame, Response>, Never> {
        let maximumLineLength = configuration.maximumLineLength
        let idleTimeout = TimeAmount(configuration.idleTimeout)
        return try await ServerBootstrap(group: eventLoopGroup)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            // A client may send its request and shut down its sending side at once
            // (`printf 'HEALTH\n' | nc -N`); it must still get its answer.
            .childChannelOption(.allowRemoteHalfClosure, value: true)
            .bind(host: configuration.host, port: configuration.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    try pipeline.addHandler(ByteToMessageHandler(LineFrameDecoder(maximumLineLength: maximumLineLength)))
                    try pipeline.addHandler(MessageToByteHandler(ResponseEncoder()))
                    try pipeline.addHandler(ConnectionDeadlineHandler(idleTimeout: idleTimeout))
                    return try NIOAsyncChannel<LineFrame, Response>(wrappingChannelSynchronously: channel)
                }
            }
    }

    /// Starts serving `connection` in its own child task, or closes it at once when the
    /// server already has `maximumConnections`.
    private func admit(
        _ connection: NIOAsyncChannel<LineFrame, Response>,
        into group: inout ThrowingDiscardingTaskGroup<any Error>
    ) async {
        let (admission, refusedBefore) = await connections.admit()
        switch admission {
        case .admitted:
            if refusedBefore > 0 {
                logger.notice("accepting connections again", metadata: ["refused": "\(refusedBefore)"])
            }
            group.addTask {
                await self.serve(connection)
                await self.connections.release()
            }
        case .refused(let firstInStreak):
            if firstInStreak {
                logger.warning(
                    "connection limit reached, closing new connections",
                    metadata: ["limit": "\(configuration.maximumConnections)"]
                )
            }
            group.addTask {
                try? await connection.executeThenClose { _, _ in }
            }
        }
    }

    /// Answers the requests of one connection in order until the peer or a deadline closes it.
    private func serve(_ connection: NIOAsyncChannel<LineFrame, Response>) async {
        let peer = connection.channel.remoteAddress
        do {
            try await connection.executeThenClose { inbound, outbound in
                for try await frame in inbound {
                    let response = await dispatcher.response(to: frame, peer: peer)
                    try await outbound.write(response)
                }
            }
        } catch {
            // Resets, writes after a deadline closed the connection, cancellation at shutdown:
            // all end one connection and concern no one else.
            logger.debug("connection ended", metadata: ["peer": "\(peer.map { "\($0)" } ?? "?")", "error": "\(error)"])
        }
    }
}
