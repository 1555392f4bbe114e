import CLinuxEvents
import ClusterCore
import Glibc
import Logging
import NIOCore
import Synchronization

/// One thread's share of the transfers: an epoll set over their sockets, one datagram read per
/// readiness, DATA sent straight from the framed file (sendmmsg for a window), and a sweep of
/// every transfer's clock each `sweepInterval`.
///
/// Why not a SwiftNIO channel per transfer: in a boot storm each ACK costs a trip through a
/// channel pipeline, an envelope and a pending-writes queue, which measured as a third of the
/// server's CPU time (docs/PERFORMANCE.md); here it is one `recvfrom` and one `sendmmsg`.
/// The request listener stays on SwiftNIO.
final class TransferLoop: @unchecked Sendable {
    /// How often every transfer's clock is looked at: retransmissions come at most this late
    /// (the shortest configurable interval is 100 ms).
    static let sweepInterval: UInt64 = 25_000_000
    private static let wakeToken = UInt64.max
    /// ERROR 5 answers to strangers per sweep (160 a second per loop): RFC 1350 asks for the
    /// answer, but a flood of spoofed packets must not turn the server into a reflector.
    private static let strangerRepliesPerSweep = 4

    private struct Inbox {
        var pending: [ActiveTransfer] = []
        var stopping = false
    }

    // Shared between threads: the inbox, under its lock, and the descriptors, fixed at init.
    private let inbox = Mutex(Inbox())
    private let poller: Int32
    private let wakeup: Int32
    private let metrics: TFTPMetrics
    private let logger: Logger

    // The loop's thread alone touches these (@unchecked Sendable above).
    private var slots: [ActiveTransfer?] = []
    private var freeSlots: [Int] = []
    private var vectors: [iovec] = []
    private var unreportedBytes = 0
    private var strangerReplies = 0
    private let receiveBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 2048, alignment: 8)
    private static let unknownTransferID = TFTPPacket.error(code: .unknownTransferID, message: "unknown transfer ID").bytes

    init(metrics: TFTPMetrics, logger: Logger) throws(TransferSocket.OpenError) {
        self.metrics = metrics
        self.logger = logger
        poller = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard poller >= 0 else {
            receiveBuffer.deallocate()
            throw .system("epoll_create1", errno)
        }
        wakeup = eventfd(0, Int32(EFD_NONBLOCK) | Int32(EFD_CLOEXEC))
        guard wakeup >= 0 else {
            let code = errno
            Glibc.close(poller)
            receiveBuffer.deallocate()
            throw .system("eventfd", code)
        }
        var event = epoll_event()
        event.events = EPOLLIN.rawValue
        event.data.u64 = Self.wakeToken
        guard epoll_ctl(poller, EPOLL_CTL_ADD, wakeup, &event) == 0 else {
            let code = errno
            Glibc.close(wakeup)
            Glibc.close(poller)
            receiveBuffer.deallocate()
            throw .system("epoll_ctl", code)
        }
    }

    deinit {
        Glibc.close(wakeup)
        Glibc.close(poller)
        receiveBuffer.deallocate()
    }

    /// Hands a transfer to this loop; false once the loop is stopping.
    func submit(_ transfer: ActiveTransfer) -> Bool {
        let accepted = inbox.withLock { inbox in
            guard !inbox.stopping else { return false }
            inbox.pending.append(transfer)
            return true
        }
        if accepted { wake() }
        return accepted
    }

    /// Ends every transfer (each client is told) and makes `run` return.
    func requestStop() {
        inbox.withLock { $0.stopping = true }
        wake()
    }

    private func wake() {
        var one: UInt64 = 1
        _ = write(wakeup, &one, 8)
    }

    /// The thread's body; returns after `requestStop`.
    func run() {
        var events = [epoll_event](repeating: epoll_event(), count: 256)
        var nextSweep = NIODeadline.now().uptimeNanoseconds + Self.sweepInterval
        while true {
            let before = NIODeadline.now().uptimeNanoseconds
            let wait = nextSweep > before ? Int32(clamping: (nextSweep - before + 999_999) / 1_000_000) : 0
            let ready = epoll_wait(poller, &events, Int32(events.count), wait)
            let now = NIODeadline.now().uptimeNanoseconds
            for index in 0..<max(0, Int(ready)) {
                let token = events[index].data.u64
                if token == Self.wakeToken {
                    guard adoptPending(now: now) else {
                        stopAll()
                        return
                    }
                } else {
                    readable(slot: Int(token), now: now)
                }
            }
            if now >= nextSweep {
                sweep(now: now)
                nextSweep = now + Self.sweepInterval
            }
        }
    }

    /// Starts what the inbox holds; false when the loop is to stop.
    private func adoptPending(now: UInt64) -> Bool {
        var count: UInt64 = 0
        _ = read(wakeup, &count, 8)
        let (pending, stopping) = inbox.withLock { inbox in
            defer { inbox.pending.removeAll(keepingCapacity: true) }
            return (inbox.pending, inbox.stopping)
        }
        for active in pending {
            let slot = freeSlots.popLast() ?? slots.count
            if slot == slots.count { slots.append(nil) }
            var event = epoll_event()
            event.events = EPOLLIN.rawValue
            event.data.u64 = UInt64(slot)
            guard epoll_ctl(poller, EPOLL_CTL_ADD, active.socket.descriptor, &event) == 0 else {
                freeSlots.append(slot)
                metrics.refused("no-port")
                active.socket.close()
                active.onFinish(.shutdown)
                continue
            }
            slots[slot] = active
            metrics.transfer("started")
            perform(active.transfer.start(now: now), slot: slot)
        }
        return !stopping
    }

    /// One datagram from a transfer's socket: lock-step clients have only their last ACK
    /// waiting, so a second read would only return EAGAIN; epoll reports the socket again if
    /// there is more.
    private func readable(slot: Int, now: UInt64) {
        guard slot < slots.count, let active = slots[slot] else { return }
        var sender = PeerAddress()
        var failed = false
        guard let count = active.socket.receive(into: receiveBuffer, from: &sender, failed: &failed) else {
            if failed { metrics.dropped("socket-error") }
            return
        }
        guard sender.matches(active.socket.client) else {
            // RFC 1350 §4: a packet from another port gets ERROR 5, the transfer goes on.
            metrics.dropped("unknown-transfer-id")
            guard strangerReplies < Self.strangerRepliesPerSweep else { return }
            strangerReplies += 1
            active.socket.send(Self.unknownTransferID, to: sender)
            return
        }
        let action: Transfer.Action
        switch TFTPTransferDatagram(parsing: UnsafeRawBufferPointer(rebasing: receiveBuffer[..<count])) {
        case .acknowledgement(let block): action = active.transfer.acknowledgement(block, now: now)
        case .error(let code): action = active.transfer.clientError(code)
        case .unexpected: action = active.transfer.unexpectedPacket()
        case .malformed:
            metrics.dropped("malformed")
            return
        }
        perform(action, slot: slot)
    }

    private func perform(_ action: Transfer.Action, slot: Int) {
        guard let active = slots[slot] else { return }
        switch action {
        case .none:
            break
        case .sendOptionAcknowledgement:
            active.socket.send(active.optionAcknowledgement, to: active.socket.client)
        case .sendBlocks(let blocks):
            send(blocks, of: active)
        case .finish(let outcome):
            finish(slot: slot, outcome: outcome)
        }
    }

    private func send(_ blocks: ClosedRange<Int>, of active: ActiveTransfer) {
        let file = active.transfer.plan.file
        let count = blocks.count
        if vectors.count < count { vectors = [iovec](repeating: iovec(), count: count) }
        var bytes = 0
        file.withPacketBytes { packets in
            guard let base = packets.baseAddress else { return }
            for (index, block) in blocks.enumerated() {
                let span = file.span(of: block)
                vectors[index] = iovec(iov_base: UnsafeMutableRawPointer(mutating: base + span.lowerBound), iov_len: span.count)
                bytes += span.count - 4
            }
            active.socket.send(&vectors, count: count)
        }
        unreportedBytes += bytes
    }

    private func finish(slot: Int, outcome: Transfer.Outcome) {
        guard let active = slots[slot] else { return }
        slots[slot] = nil
        freeSlots.append(slot)
        if let (code, message) = outcome.errorForClient {
            active.socket.send(TFTPPacket.error(code: code, message: message).bytes, to: active.socket.client)
        }
        // Closing the descriptor also takes it out of the epoll set.
        active.socket.close()
        metrics.transfer(outcome.rawValue)
        logger.debug("transfer ended", metadata: [
            "file": "\(active.name.prefix(120))", "client": "\(active.client)", "outcome": "\(outcome.rawValue)",
            "blocks": "\(active.transfer.acknowledged)",
        ])
        active.onFinish(outcome)
    }

    /// Every transfer's clock, and the bytes sent since the last sweep into the metrics (one
    /// counter update per sweep instead of one per packet).
    private func sweep(now: UInt64) {
        strangerReplies = 0
        if unreportedBytes > 0 {
            metrics.sent(bytes: unreportedBytes)
            unreportedBytes = 0
        }
        for slot in slots.indices {
            guard let active = slots[slot] else { continue }
            perform(active.transfer.tick(now: now), slot: slot)
        }
    }

    private func stopAll() {
        sweep(now: NIODeadline.now().uptimeNanoseconds)
        for slot in slots.indices {
            guard let active = slots[slot] else { continue }
            perform(active.transfer.shutdown(), slot: slot)
        }
        let late = inbox.withLock { inbox in
            defer { inbox.pending.removeAll() }
            return inbox.pending
        }
        for active in late {
            if let (code, message) = Transfer.Outcome.shutdown.errorForClient {
                active.socket.send(TFTPPacket.error(code: code, message: message).bytes, to: active.socket.client)
            }
            active.socket.close()
            active.onFinish(.shutdown)
        }
    }
}
