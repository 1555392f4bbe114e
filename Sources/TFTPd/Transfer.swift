import ClusterCore

/// One read transfer's decisions, without I/O (RFC 1350 §4, RFC 2347, RFC 7440): what to send
/// when it starts, on each ACK, ERROR or stray packet from the client, and when time passes.
/// `TransferLoop` performs the actions on the transfer's own socket.
///
/// Block numbers are 16 bits on the wire and wrap after 65535 (files over 32 MiB at 512-byte
/// blocks); here blocks are counted without wrapping and an ACK is mapped to the window it can
/// belong to. A repeated ACK is ignored, never answered with a resend (the Sorcerer's
/// Apprentice bug, RFC 1123 §4.2.3.1): only the clock resends.
struct Transfer {
    struct Plan: Sendable {
        let file: FramedFile
        let negotiation: TFTPNegotiation
        /// Silence after a send before it is sent again.
        let retransmitNanoseconds: UInt64
        /// Silent intervals in a row before the transfer is given up.
        let retries: Int
        /// The longest the transfer may take, whatever the client does.
        let totalNanoseconds: UInt64
    }

    enum Action: Equatable {
        case none
        case sendOptionAcknowledgement
        /// DATA packets of these blocks (1-based, not wrapped), in order.
        case sendBlocks(ClosedRange<Int>)
        case finish(Outcome)
    }

    /// How a transfer ended; the raw value is the metrics label and the log's `outcome`.
    enum Outcome: String, CaseIterable {
        case completed
        case timeout
        case totalTimeout = "total-timeout"
        case clientError = "client-error"
        case optionsRefused = "options-refused"
        case protocolError = "protocol-error"
        case shutdown

        /// The ERROR packet the client gets when the server ends the transfer, so that it
        /// stops waiting and can ask another server at once.
        var errorForClient: (code: TFTPErrorCode, message: String)? {
            switch self {
            case .completed, .timeout, .clientError, .optionsRefused: nil
            case .totalTimeout: (.undefined, "transfer took too long")
            case .protocolError: (.illegalOperation, "expected an ACK")
            case .shutdown: (.undefined, "server shutting down, try another")
            }
        }
    }

    let plan: Plan
    /// Set by `start`, from the clock of the loop that runs the transfer: every time this
    /// type compares comes from that one thread's clock.
    private var started: UInt64 = 0
    private var awaitingOptionAcknowledgement: Bool
    /// The highest block the client acknowledged (0 before any).
    private(set) var acknowledged = 0
    /// The highest block sent.
    private(set) var sent = 0
    private var silentTimeouts = 0
    /// When the last OACK or window went out.
    private var lastSend: UInt64 = 0
    private(set) var isFinished = false

    init(plan: Plan) {
        self.plan = plan
        awaitingOptionAcknowledgement = !plan.negotiation.acknowledged.isEmpty
    }

    /// The first send: the OACK when options were granted (RFC 2347), else the first window.
    mutating func start(now: UInt64) -> Action {
        started = now
        lastSend = now
        return awaitingOptionAcknowledgement ? .sendOptionAcknowledgement : nextWindow()
    }

    mutating func acknowledgement(_ block: UInt16, now: UInt64) -> Action {
        guard !isFinished else { return .none }
        if awaitingOptionAcknowledgement {
            // RFC 2347: the client accepts the OACK with ACK 0; anything else is stale.
            guard block == 0 else { return .none }
            awaitingOptionAcknowledgement = false
            silentTimeouts = 0
            lastSend = now
            return nextWindow()
        }
        let ahead = Int(block &- UInt16(truncatingIfNeeded: acknowledged))
        guard ahead >= 1, acknowledged + ahead <= sent else { return .none }
        acknowledged += ahead
        silentTimeouts = 0
        if acknowledged == plan.file.blockCount { return end(.completed) }
        // A whole window acknowledged, or part of it (RFC 7440 §4: the client saw a gap and
        // acknowledged the last block in order): go on from the first block it lacks.
        lastSend = now
        return nextWindow()
    }

    /// The client sent an ERROR: the transfer ends, and nothing is sent back (RFC 1350 §7).
    mutating func clientError(_ code: TFTPErrorCode) -> Action {
        guard !isFinished else { return .none }
        return end(code == .optionsRefused ? .optionsRefused : .clientError)
    }

    /// A well-formed packet that has no place in a read transfer (a DATA, a request, an OACK).
    mutating func unexpectedPacket() -> Action {
        guard !isFinished else { return .none }
        return end(.protocolError)
    }

    /// Time passed: ends the transfer past its total time or its retries, or resends what the
    /// client has not acknowledged after `retransmitNanoseconds` of silence.
    mutating func tick(now: UInt64) -> Action {
        guard !isFinished else { return .none }
        // Saturating: a clock read just before `start` or the last send is "no time passed".
        if now.subtractingSaturated(started) >= plan.totalNanoseconds { return end(.totalTimeout) }
        guard now.subtractingSaturated(lastSend) >= plan.retransmitNanoseconds else { return .none }
        silentTimeouts += 1
        guard silentTimeouts <= plan.retries else { return end(.timeout) }
        lastSend = now
        return awaitingOptionAcknowledgement ? .sendOptionAcknowledgement : nextWindow()
    }

    /// The server is stopping.
    mutating func shutdown() -> Action {
        guard !isFinished else { return .none }
        return end(.shutdown)
    }

    private mutating func nextWindow() -> Action {
        let last = min(acknowledged + plan.negotiation.windowSize, plan.file.blockCount)
        sent = last
        return .sendBlocks((acknowledged + 1)...last)
    }

    private mutating func end(_ outcome: Outcome) -> Action {
        isFinished = true
        return .finish(outcome)
    }
}

private extension UInt64 {
    func subtractingSaturated(_ other: UInt64) -> UInt64 { self > other ? self - other : 0 }
}
