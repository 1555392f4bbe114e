import ClusterCore
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle

/// tc-dhcpd's packet service: one channel per served interface, all answering from the same
/// binding cache, until graceful shutdown closes them.
struct DHCPServerService: Service {
    let interfaces: [ServingInterface]
    let port: Int
    let context: DHCPPacketHandler.Context
    let logger: Logger
    /// Receives the one line that says the server is serving (stdout in production).
    let announce: @Sendable (String) -> Void

    func run() async throws {
        var channels: [any Channel] = []
        do {
            for interface in interfaces {
                let socket = try InterfaceSocket.open(interface: interface.name, port: port)
                let context = self.context
                let channel = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                    .channelOption(.maxMessagesPerRead, value: 16)
                    .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: 2048))
                    .channelInitializer { channel in
                        channel.eventLoop.makeCompletedFuture {
                            try channel.pipeline.syncOperations.addHandler(DHCPPacketHandler(interface: interface, context: context))
                        }
                    }
                    .withBoundSocket(socket).get()
                channels.append(channel)
            }
        } catch {
            for channel in channels { try? await channel.close() }
            throw error
        }
        let names = interfaces.map(\.description).joined(separator: ", ")
        logger.info("serving", metadata: ["interfaces": "\(names)", "port": "\(port)", "bindings": "\(context.cache.snapshot.count)"])
        announce("tc-dhcpd listening on \(names) port \(port) with \(context.cache.snapshot.count) bindings")
        let open = channels
        try await withTaskCancellationOrGracefulShutdownHandler {
            for channel in open { try await channel.closeFuture.get() }
        } onCancelOrGracefulShutdown: {
            for channel in open { channel.close(promise: nil) }
        }
    }
}
