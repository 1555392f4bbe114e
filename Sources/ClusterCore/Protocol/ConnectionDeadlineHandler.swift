import NIOCore

/// Closes a server connection whose peer keeps the server waiting, answering first when it can.
///
/// The deadline runs only while the server waits for the peer:
/// - for a complete request line, from accept or from the last response. Partial lines do
///   not restart it, so a client dribbling one byte at a time (slowloris) is cut off after
///   `idleTimeout` like a silent one. When it expires the peer is sent
///   `ERR timeout idle connection closed`.
/// - for the peer to read, while the channel is not writable because responses pile up
///   unread. When it expires the connection is closed without a last word.
/// While a request is being handled the deadline is off: a slow handler is not the peer's fault.
///
/// After a `.tooLong` frame has been answered the connection is closed. Every close that
/// follows an answer is a lingering close: shut down the sending side so the answer is
/// followed by a FIN, and keep reading (the decoder discards) until the peer closes or
/// `lingerTimeout` passes. Closing at once with unread input in the kernel would send a RST,
/// and a RST can destroy the answer before the client reads it.
final class ConnectionDeadlineHandler: ChannelDuplexHandler {
    typealias InboundIn = LineFrame
    typealias InboundOut = LineFrame
    typealias OutboundIn = Response
    typealias OutboundOut = Response

    static let idleResponse = Response.error(.timeout, "idle connection closed")

    private let idleTimeout: TimeAmount
    private let lingerTimeout: TimeAmount
    private var unansweredRequests = 0
    private var closeWhenAnswered = false
    private var isClosing = false
    private var timer: Scheduled<Void>?

    init(idleTimeout: TimeAmount, lingerTimeout: TimeAmount = .seconds(2)) {
        self.idleTimeout = idleTimeout
        self.lingerTimeout = lingerTimeout
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { updateDeadline(context: context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        cancelTimer()
    }

    func channelActive(context: ChannelHandlerContext) {
        updateDeadline(context: context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        cancelTimer()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        unansweredRequests += 1
        if Self.unwrapInboundIn(data) == .tooLong { closeWhenAnswered = true }
        updateDeadline(context: context)
        context.fireChannelRead(data)
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        updateDeadline(context: context)
        context.fireChannelWritabilityChanged()
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        unansweredRequests = max(0, unansweredRequests - 1)
        context.write(data, promise: promise)
        if closeWhenAnswered, unansweredRequests == 0 {
            context.flush()
            closeLingering(context: context)
        } else {
            updateDeadline(context: context)
        }
    }

    /// Starts the timer when the server begins waiting for the peer, stops it when it stops.
    private func updateDeadline(context: ChannelHandlerContext) {
        guard !isClosing else { return }
        let waitingForPeer = unansweredRequests == 0 || !context.channel.isWritable
        guard waitingForPeer else {
            cancelTimer()
            return
        }
        guard timer == nil else { return }
        timer = context.eventLoop.assumeIsolated().scheduleTask(in: idleTimeout) { [self] in
            timer = nil
            deadlineExpired(context: context)
        }
    }

    private func deadlineExpired(context: ChannelHandlerContext) {
        guard !isClosing else { return }
        guard context.channel.isWritable, unansweredRequests == 0 else {
            isClosing = true
            context.close(promise: nil)
            return
        }
        context.writeAndFlush(Self.wrapOutboundOut(Self.idleResponse), promise: nil)
        closeLingering(context: context)
    }

    private func closeLingering(context: ChannelHandlerContext) {
        isClosing = true
        cancelTimer()
        // Shutting down output waits for pending writes to go out first. If the channel
        // refuses a half close, the full close below still ends the connection.
        context.close(mode: .output, promise: nil)
        timer = context.eventLoop.assumeIsolated().scheduleTask(in: lingerTimeout) { [self] in
            timer = nil
            context.close(promise: nil)
        }
    }

    private func cancelTimer() {
        timer?.cancel()
        timer = nil
    }
}

@available(*, unavailable)
extension ConnectionDeadlineHandler: Sendable {}
