import ClusterCore
import Logging
import NIOCore

/// The listener on port 69: parses requests, refuses what it must with an ERROR packet, and
/// hands each read transfer, on a socket of its own, to the transfer engine.
final class RequestHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias OutboundOut = AddressedEnvelope<ByteBuffer>

    struct Context: Sendable {
        let resolver: PathResolver
        let cache: BootFileCache
        let registry: TransferRegistry
        let metrics: TFTPMetrics
        let limits: TFTPNegotiation.Limits
        let retransmit: TimeAmount
        let retries: Int
        let totalTimeout: TimeAmount
        /// The directory snapshot templates are rendered from; nil when templates are off.
        let clients: DirectoryFollower<ClientTable>?
        let logger: Logger
    }

    /// What a request names: a file served as it is, or a template rendered for the client.
    private enum Source {
        case file(path: String, identity: BootFileCache.Identity)
        case template(path: String)
    }

    private let shared: Context
    private let engine: TransferEngine

    init(context: Context, engine: TransferEngine) {
        shared = context
        self.engine = engine
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        var payload = envelope.data
        let opcode = payload.getInteger(at: payload.readerIndex, as: UInt16.self)
        let packet: TFTPPacket
        do {
            packet = try TFTPPacket(parsing: &payload)
        } catch {
            shared.metrics.dropped(error.kind)
            // A request we cannot read gets told why; anything else is noise and gets nothing.
            if opcode == 1 || opcode == 2 {
                reply(.error(code: .illegalOperation, message: error.description), to: envelope.remoteAddress, context: context)
            }
            return
        }
        switch packet {
        case .readRequest(let request) where request.mode == "mail":
            shared.metrics.refused("mail-mode")
            reply(.error(code: .illegalOperation, message: "mail mode is for uploads, and uploads are refused"), to: envelope.remoteAddress, context: context)
        case .readRequest(let request):
            start(request, from: envelope.remoteAddress, localAddress: envelope.metadata?.packetInfo?.destinationAddress, context: context)
        case .writeRequest:
            shared.metrics.refused("write-request")
            reply(.error(code: .accessViolation, message: "read-only server: uploads are refused"), to: envelope.remoteAddress, context: context)
        default:
            shared.metrics.dropped("not-a-request")
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        shared.metrics.dropped("socket-error")
    }

    private func start(_ request: TFTPRequest, from client: SocketAddress, localAddress: SocketAddress?, context: ChannelHandlerContext) {
        let clientKey = client.ipAddress ?? "?"
        let source: Source
        do {
            source = try locate(request.filename)
        } catch {
            let code: TFTPErrorCode = if case .notFound = error { .fileNotFound } else { .accessViolation }
            shared.metrics.refused(code == .fileNotFound ? "not-found" : "access-violation")
            if code == .accessViolation {
                shared.logger.notice("refused a path", metadata: ["client": "\(client)", "file": "\(request.filename.prefix(80))", "reason": "\(error)"])
            }
            reply(.error(code: code, message: error.description), to: client, context: context)
            return
        }
        if let refusal = shared.registry.reserve(clientKey) {
            shared.metrics.refused(refusal.rawValue)
            reply(.error(code: .undefined, message: "server busy, try again"), to: client, context: context)
            return
        }
        let netascii = request.mode == "netascii"
        switch source {
        case .file(let path, let identity):
            // tsize is the size the client will receive; netascii changes it, so it is known
            // only once the file is converted: negotiate on the file's size, then on the real one.
            let negotiation = TFTPNegotiation(request: request, fileSize: identity.size, limits: shared.limits)
            shared.cache.file(at: path, identity: identity, blockSize: negotiation.blockSize, netascii: netascii, on: context.eventLoop)
                .assumeIsolated()
                .whenComplete { result in
                    switch result {
                    case .success(let lookup):
                        self.shared.metrics.cacheLookup(hit: lookup.hit)
                        self.begin(request, client: client, clientKey: clientKey, localAddress: localAddress,
                                   file: lookup.file, negotiation: negotiation, context: context)
                    case .failure:
                        self.refuseUnreadable(client: client, key: clientKey, context: context)
                    }
                }
        case .template(let path):
            let serverAddress = localAddress?.ipAddress ?? context.channel.localAddress?.ipAddress ?? "0.0.0.0"
            guard let text = try? String(contentsOfFile: path, encoding: .utf8), text.utf8.count <= TemplateRenderer.maximumSize,
                  let table = shared.clients?.snapshot
            else {
                refuseUnreadable(client: client, key: clientKey, context: context)
                return
            }
            let rendered = TemplateRenderer.render(text, server: serverAddress, client: clientKey, table: table)
            let contents = netascii ? NetASCII.encode(rendered) : rendered
            let negotiation = TFTPNegotiation(request: request, fileSize: contents.readableBytes, limits: shared.limits)
            shared.metrics.rendered()
            begin(request, client: client, clientKey: clientKey, localAddress: localAddress,
                  file: FramedFile(contents: contents, blockSize: negotiation.blockSize), negotiation: negotiation, context: context)
        }
    }

    /// Opens the transfer's socket and hands the transfer to the engine.
    private func begin(_ request: TFTPRequest, client: SocketAddress, clientKey: String, localAddress: SocketAddress?,
                       file: FramedFile, negotiation: TFTPNegotiation, context: ChannelHandlerContext) {
        var negotiation = negotiation
        if request.mode == "netascii" { negotiation = TFTPNegotiation(request: request, fileSize: file.size, limits: shared.limits) }
        shared.metrics.cache(bytes: shared.cache.bytesCached)

        let registry = shared.registry, metrics = shared.metrics
        let finish: @Sendable (Transfer.Outcome) -> Void = { _ in
            registry.release(clientKey)
            metrics.active(registry.active)
        }
        let socket: TransferSocket
        do {
            socket = try TransferSocket.open(local: localAddress, client: client)
        } catch {
            finish(.shutdown)
            metrics.refused("no-port")
            shared.logger.warning("cannot open a transfer port", metadata: ["error": "\(error)"])
            reply(.error(code: .undefined, message: "server busy, try again"), to: client, context: context)
            return
        }
        let plan = Transfer.Plan(
            file: file, negotiation: negotiation,
            retransmitNanoseconds: UInt64((negotiation.timeoutSeconds.map { TimeAmount.seconds(Int64($0)) } ?? shared.retransmit).nanoseconds),
            retries: shared.retries, totalNanoseconds: UInt64(shared.totalTimeout.nanoseconds)
        )
        let active = ActiveTransfer(
            transfer: Transfer(plan: plan), socket: socket,
            name: request.filename, client: client, onFinish: finish
        )
        metrics.active(registry.active)
        guard engine.submit(active) else {
            socket.close()
            finish(.shutdown)
            if let (code, message) = Transfer.Outcome.shutdown.errorForClient { reply(.error(code: code, message: message), to: client, context: context) }
            return
        }
    }

    /// A file served as it is if it exists; else, with templates on, `NAME.tmpl` rendered.
    private func locate(_ name: String) throws(PathResolver.Failure) -> Source {
        do throws(PathResolver.Failure) {
            let path = try shared.resolver.resolve(name)
            guard let identity = BootFileCache.identity(of: path) else { throw .notFound(name) }
            return .file(path: path, identity: identity)
        } catch {
            guard case .notFound = error, shared.clients != nil,
                  let template = try? shared.resolver.resolve(name + TemplateRenderer.suffix)
            else { throw error }
            return .template(path: template)
        }
    }

    private func refuseUnreadable(client: SocketAddress, key: String, context: ChannelHandlerContext) {
        shared.registry.release(key)
        shared.metrics.refused("unreadable")
        reply(.error(code: .accessViolation, message: "file cannot be read"), to: client, context: context)
    }

    private func reply(_ packet: TFTPPacket, to address: SocketAddress, context: ChannelHandlerContext) {
        var buffer = context.channel.allocator.buffer(capacity: 128)
        packet.serialize(into: &buffer)
        context.writeAndFlush(wrapOutboundOut(AddressedEnvelope(remoteAddress: address, data: buffer)), promise: nil)
    }
}
