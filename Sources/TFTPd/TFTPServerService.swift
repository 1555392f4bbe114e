import ClusterCore
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle

/// tc-tftpd's listener as a service: binds the request port, announces itself, and closes on
/// graceful shutdown (transfers in progress end with their channels' event loops).
struct TFTPServerService: Service {
    let listen: Endpoint
    let context: RequestHandler.Context
    let logger: Logger
    /// Receives the one line that says the server is serving (stdout in production).
    let announce: @Sendable (String) -> Void

    func run() async throws {
        let context = self.context
        let channel = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            // No SO_REUSEADDR: on UDP it would let a second server bind the same port and
            // silently take half of the requests.
            // The address a request was sent to: its transfer answers from that same address.
            .channelOption(.receivePacketInfo, value: true)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(RequestHandler(context: context))
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
