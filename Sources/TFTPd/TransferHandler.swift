import ClusterCore
import Logging
import NIOCore

/// One read transfer on its own ephemeral port (RFC 1350 §4: the transfer identifier): sends
/// the OACK or the first window, then a window per acknowledgement, sends again on timeout,
/// and ends on the last ACK, an ERROR, too many silent timeouts, or the total time limit.
///
/// Block numbers are 16 bits on the wire and wrap after 65535 (files over 32 MiB at 512-byte
/// blocks); internally blocks are counted without wrapping and an ACK is mapped to the window
/// it can belong to. A repeated ACK is ignored, never answered with a resend (the Sorcerer's
/// Apprentice bug, RFC 1123 §4.2.3.1): only the timer resends.
final class TransferHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias OutboundOut = AddressedEnvelope<ByteBuffer>

    struct Plan {
        /// The name the client asked for, for the log.
        let name: String
        let client: SocketAddress
        let file: FramedFile
        let negotiation: TFTPNegotiation
        let retransmit: TimeAmount
        let retries: Int
        let totalTimeout: TimeAmount
    }

    private let plan: Plan
    private let metrics: TFTPMetrics
    private let logger: Logger
    private let onFinish: @Sendable (String) -> Void
    private var awaitingOptionAck: Bool
    /// The highest block the client acknowledged (0 before any).
    private var acknowledged = 0
    /// The highest block sent.
    private var sent = 0
    private var silentTimeouts = 0
    private var retransmitTimer: Scheduled<Void>?
    /// When the last OACK or window went out: the timer resends only if this is older than the
    /// retransmit interval, so progress never cancels and reschedules a timer per packet.
    private var lastSend = NIODeadline.now()
    private var deadline: Scheduled<Void>?
    private var finished = false

    init(plan: Plan, metrics: TFTPMetrics, logger: Logger, onFinish: @escaping @Sendable (String) -> Void) {
        self.plan = plan
        self.metrics = metrics
        self.logger = logger
        self.onFinish = onFinish
        awaitingOptionAck = !plan.negotiation.acknowledged.isEmpty
    }

    func channelActive(context: ChannelHandlerContext) {
        metrics.transfer("started")
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        deadline = context.eventLoop.scheduleTask(in: plan.totalTimeout) {
            let (handler, context) = loopBound.value
            handler.finish(context: context, outcome: "total-timeout", error: (.undefined, "transfer took too long"))
        }
        if awaitingOptionAck { sendOptionAck(context: context) } else { sendWindow(context: context) }
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        guard envelope.remoteAddress == plan.client else {
            // RFC 1350 §4: a packet from another port is answered with ERROR 5, the transfer goes on.
            send(.error(code: .unknownTransferID, message: "unknown transfer ID"), to: envelope.remoteAddress, context: context)
            metrics.dropped("unknown-transfer-id")
            return
        }
        var payload = envelope.data
        guard let packet = try? TFTPPacket(parsing: &payload) else {
            metrics.dropped("malformed")
            return
        }
        switch packet {
        case .acknowledgement(let block):
            acknowledge(block, context: context)
        case .error(let code, _):
            finish(context: context, outcome: code == .optionsRefused ? "options-refused" : "client-error", error: nil)
        default:
            finish(context: context, outcome: "protocol-error", error: (.illegalOperation, "expected an ACK"))
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // An ICMP port unreachable from a client that went away: the timer decides its end.
        metrics.dropped("socket-error")
    }

    private func acknowledge(_ block: UInt16, context: ChannelHandlerContext) {
        if awaitingOptionAck {
            guard block == 0 else { return }
            awaitingOptionAck = false
            silentTimeouts = 0
            sendWindow(context: context)
            return
        }
        let ahead = Int(block &- UInt16(truncatingIfNeeded: acknowledged))
        guard ahead >= 1, acknowledged + ahead <= sent else { return }
        acknowledged += ahead
        silentTimeouts = 0
        if acknowledged == plan.file.blockCount {
            finish(context: context, outcome: "completed", error: nil)
        } else {
            // A whole window acknowledged, or part of it (RFC 7440 §4: the client saw a gap and
            // acknowledged the last block in order): go on from the first block it lacks.
            sendWindow(context: context)
        }
    }

    private func sendWindow(context: ChannelHandlerContext) {
        let last = min(acknowledged + plan.negotiation.windowSize, plan.file.blockCount)
        var bytes = 0
        for block in (acknowledged + 1)...last {
            let packet = plan.file.packet(block)
            bytes += packet.readableBytes - 4
            context.write(wrapOutboundOut(AddressedEnvelope(remoteAddress: plan.client, data: packet)), promise: nil)
        }
        context.flush()
        metrics.sent(bytes: bytes)
        sent = last
        armTimer(context: context)
    }

    private func sendOptionAck(context: ChannelHandlerContext) {
        send(.optionAcknowledgement(plan.negotiation.acknowledged), to: plan.client, context: context)
        armTimer(context: context)
    }

    private func armTimer(context: ChannelHandlerContext) {
        lastSend = .now()
        guard retransmitTimer == nil else { return }
        schedule(at: lastSend + plan.retransmit, context: context)
    }

    private func schedule(at deadline: NIODeadline, context: ChannelHandlerContext) {
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        retransmitTimer = context.eventLoop.scheduleTask(deadline: deadline) {
            let (handler, context) = loopBound.value
            handler.retransmitTimer = nil
            handler.timerFired(context: context)
        }
    }

    private func timerFired(context: ChannelHandlerContext) {
        guard !finished else { return }
        let due = lastSend + plan.retransmit
        if NIODeadline.now() < due {
            schedule(at: due, context: context)
            return
        }
        silentTimeouts += 1
        guard silentTimeouts <= plan.retries else {
            finish(context: context, outcome: "timeout", error: nil)
            return
        }
        if awaitingOptionAck { sendOptionAck(context: context) } else { sendWindow(context: context) }
    }

    private func send(_ packet: TFTPPacket, to address: SocketAddress, context: ChannelHandlerContext) {
        var buffer = context.channel.allocator.buffer(capacity: 64)
        packet.serialize(into: &buffer)
        context.writeAndFlush(wrapOutboundOut(AddressedEnvelope(remoteAddress: address, data: buffer)), promise: nil)
    }

    private func finish(context: ChannelHandlerContext, outcome: String, error: (TFTPErrorCode, String)?) {
        guard !finished else { return }
        finished = true
        retransmitTimer?.cancel()
        deadline?.cancel()
        if let (code, message) = error { send(.error(code: code, message: message), to: plan.client, context: context) }
        metrics.transfer(outcome)
        logger.debug("transfer ended", metadata: [
            "file": "\(plan.name.prefix(120))", "client": "\(plan.client)", "outcome": "\(outcome)", "blocks": "\(acknowledged)",
        ])
        onFinish(outcome)
        context.close(promise: nil)
    }
}
