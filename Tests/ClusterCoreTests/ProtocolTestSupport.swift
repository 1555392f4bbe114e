import ClusterTestSupport
import Foundation
import NIOCore
import NIOPosix
import Testing

@testable import ClusterCore

/// Answers `PING` with `OK PONG`, `ECHO args` with `OK args`, `WHOAMI` with whether the
/// request was authenticated, never answers `HANG`, and records every request it sees.
struct ScriptedHandler: LineRequestHandler {
    let seen = SeenRequests()

    func handle(_ request: Request, context: RequestContext) async -> Response {
        await seen.append(request)
        switch request.verb {
        case "PING": return .ok(["PONG"])
        case "ECHO": return .ok(request.arguments)
        case "WHOAMI", "DRAIN": return .ok([context.isAuthenticated ? "authenticated" : "plain"])
        case "HANG":
            try? await Task.sleep(for: .seconds(3600))
            return .error(.internal, "cancelled")
        case "MISSING": return .error(.notFound, "user alice is not in the directory")
        default: return .error(.unknownVerb, "unknown verb \(request.verb)")
        }
    }
}

/// Every request a `ScriptedHandler` received.
actor SeenRequests {
    private(set) var requests: [Request] = []
    func append(_ request: Request) { requests.append(request) }
    var verbs: [String] { requests.map(\.verb) }
}

/// Answers every request with `ERR unavailable`, like a server that is draining.
struct UnavailableHandler: LineRequestHandler {
    func handle(_ request: Request, context: RequestContext) async -> Response {
        .error(.unavailable, "draining")
    }
}

/// Starts a `LineServer` on 127.0.0.1 and an ephemeral port, runs `body` with the server and
/// its port, then cancels the server and waits until `run()` has returned.
func withLineServer<T: Sendable>(
    idleTimeout: Duration = .seconds(30),
    maximumLineLength: Int = 8192,
    maximumConnections: Int = 4096,
    handler: some LineRequestHandler = ScriptedHandler(),
    authenticator: RequestAuthenticator? = nil,
    _ body: @escaping @Sendable (LineServer, Int) async throws -> T
) async throws -> T {
    let configuration = LineServer.Configuration(
        host: "127.0.0.1", port: 0, idleTimeout: idleTimeout,
        maximumLineLength: maximumLineLength, maximumConnections: maximumConnections
    )
    let server = LineServer(configuration: configuration, handler: handler, authenticator: authenticator)
    // An unstructured task, so that stopping it can be awaited with a bound.
    let running = Task { try await server.run() }
    let result: T
    do {
        let port = try await withTimeout { try await server.localPort() }
        result = try await body(server, port)
    } catch {
        running.cancel()
        _ = try? await withTimeout { try await running.value }
        throw error
    }
    running.cancel()
    try await withTimeout { try await running.value }
    return result
}


/// A raw TCP connection for tests that send what no `LineClient` would.
final class RawConnection {
    private var inbound: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
    private let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    private var pending: [UInt8] = []

    private init(
        inbound: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator,
        outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    ) {
        self.inbound = inbound
        self.outbound = outbound
    }

    /// Connects to 127.0.0.1:`port`, runs `body`, closes.
    static func with<T: Sendable>(port: Int, _ body: (RawConnection) async throws -> T) async throws -> T {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            try await body(RawConnection(inbound: inbound.makeAsyncIterator(), outbound: outbound))
        }
    }

    func send(_ text: String) async throws {
        try await send(bytes: Array(text.utf8))
    }

    func send(bytes: [UInt8]) async throws {
        try await outbound.write(ByteBuffer(bytes: bytes))
    }

    /// The next line without its LF, or nil when the server closed first.
    func readLine() async throws -> String? {
        while true {
            if let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: pending[..<newline], as: UTF8.self)
                pending.removeFirst(newline + 1)
                return line
            }
            guard let buffer = try await inbound.next() else { return nil }
            pending += Array(buffer.readableBytesView)
        }
    }

    /// Everything the server sends until it closes the connection.
    func readToEnd() async throws -> String {
        while let buffer = try await inbound.next() {
            pending += Array(buffer.readableBytesView)
        }
        defer { pending = [] }
        return String(decoding: pending, as: UTF8.self)
    }
}

/// Never answers: every request waits until the server shuts down.
struct SilentHandler: LineRequestHandler {
    func handle(_ request: Request, context: RequestContext) async -> Response {
        try? await Task.sleep(for: .seconds(3600))
        return .error(.internal, "cancelled")
    }
}

/// A bare TCP server on 127.0.0.1 that, on a connection's first bytes, sends `reply` (when
/// given) and closes: for peers that do not speak the protocol.
func withRawServer<T: Sendable>(reply: String?, _ body: (Int) async throws -> T) async throws -> T {
    let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
        .childChannelInitializer { channel in
            channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(ReplyOnce(reply: reply)) }
        }
        .bind(host: "127.0.0.1", port: 0).get()
    do {
        let result = try await body(server.localAddress!.port!)
        try await server.close()
        return result
    } catch {
        try? await server.close()
        throw error
    }
}

/// Sends a fixed reply, if any, to the first bytes of a connection, then closes it.
final class ReplyOnce: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer
    let reply: String?
    init(reply: String?) { self.reply = reply }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if let reply { context.writeAndFlush(Self.wrapOutboundOut(ByteBuffer(string: reply)), promise: nil) }
        context.close(promise: nil)
    }
}
