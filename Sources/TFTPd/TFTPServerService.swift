import ClusterCore
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle

/// tc-tftpd as a service: starts the transfer loops, binds the request port, announces itself;
/// on graceful shutdown closes the port, then ends the transfers in progress (each client is
/// told, so that it asks another server at once).
struct TFTPServerService: Service {
    let listen: Endpoint
    let context: RequestHandler.Context
    let logger: Logger
    /// Receives the one line that says the server is serving (stdout in production).
    let announce: @Sendable (String) -> Void

    func run() async throws {
        let context = self.context
        let engine = try TransferEngine(loopCount: System.coreCount, metrics: context.metrics, logger: logger)
        engine.start()
        do {
            try await serve(context: context, engine: engine)
        } catch {
            await engine.shutdown()
            throw error
        }
        await engine.shutdown()
    }

    private func serve(context: RequestHandler.Context, engine: TransferEngine) async throws {
        let channel = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            // No SO_REUSEADDR: on UDP it would let a second server bind the same port and
            // silently take half of the requests.
            // The address a request was sent to: its transfer answers from that same address.
            .channelOption(.receivePacketInfo, value: true)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(RequestHandler(context: context, engine: engine))
                }
            }
            .bind(host: listen.host, port: Int(listen.port)).get()
        let address = channel.localAddress.map { "\($0.ipAddress ?? "?"):\($0.port ?? 0)" } ?? "\(listen)"
        logger.info("serving", metadata: ["address": "\(address)", "root": "\(context.resolver.root)"])
        announce("tc-tftpd listening on \(address) serving \(context.resolver.root)")
        try await withTaskCancellationOrGracefulShutdownHandler {
            try await channel.closeFuture.get()
        } onCancelOrGracefulShutdown: {
            channel.close(promise: nil)
        }
    }
}
