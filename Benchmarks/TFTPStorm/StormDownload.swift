#if canImport(Glibc)
import Glibc
#endif

/// One client's download in the storm, as a state machine without I/O: it is fed each datagram
/// from the server (and each timeout) and says what to send back. The bytes received are
/// compared with the expected file as they arrive, so a wrong, reordered or short download is
/// caught without storing anything.
///
/// It behaves as curl and tftp-hpa do in lock-step (RFC 1350): every DATA in order is
/// acknowledged, a repeated DATA is acknowledged again (the server resent it because our ACK
/// was lost). With a negotiated window (RFC 7440) it acknowledges every `window` blocks and the
/// last one, and on a gap acknowledges the last block it has in order, once per gap.
struct StormDownload {
    enum State: Equatable {
        case requesting
        case receiving
        case completed
        case failed(String)
    }

    enum Reply: Equatable {
        case none
        case acknowledge(UInt16)
    }

    private(set) var state = State.requesting
    /// RFC 1350's default until an OACK grants another.
    private(set) var blockSize = 512
    private(set) var window = 1
    /// The next block wanted, counted without 16-bit wrapping.
    private(set) var nextBlock = 1
    private(set) var receivedBytes = 0
    private(set) var duplicates = 0
    private var sinceAcknowledgement = 0
    private var gapAcknowledged = false

    var isFinished: Bool {
        switch state {
        case .completed, .failed: true
        case .requesting, .receiving: false
        }
    }

    /// The ACK to send again after a timeout: block 0 answers an OACK, otherwise the last block
    /// received in order. Nil while the request itself has had no answer.
    var lastAcknowledgement: UInt16? {
        state == .requesting ? nil : UInt16(truncatingIfNeeded: nextBlock - 1)
    }

    /// Handles one datagram from the server. `expected` is the whole file the server should send.
    mutating func receive(_ datagram: UnsafeRawBufferPointer, expected: UnsafeRawBufferPointer) -> Reply {
        guard !isFinished, datagram.count >= 4 else { return .none }
        let opcode = UInt16(datagram[0]) << 8 | UInt16(datagram[1])
        switch opcode {
        case 6:
            guard state == .requesting else { return .none }
            return optionAcknowledgement(datagram[2...], expected: expected)
        case 3:
            let block = UInt16(datagram[2]) << 8 | UInt16(datagram[3])
            return data(block: block, payload: UnsafeRawBufferPointer(rebasing: datagram[4...]), expected: expected)
        case 5:
            let code = UInt16(datagram[2]) << 8 | UInt16(datagram[3])
            let message = String(decoding: datagram[4...].prefix { $0 != 0 }, as: UTF8.self)
            state = .failed("server error \(code): \(message)")
            return .none
        default:
            return .none
        }
    }

    /// Called when the retries after silence are exhausted.
    mutating func giveUp(_ reason: String) {
        guard !isFinished else { return }
        state = .failed(reason)
    }

    private mutating func optionAcknowledgement(_ body: UnsafeRawBufferPointer.SubSequence, expected: UnsafeRawBufferPointer) -> Reply {
        let fields = body.split(separator: 0, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        var index = 0
        while index + 1 < fields.count {
            let (name, value) = (fields[index].lowercased(), fields[index + 1])
            index += 2
            switch name {
            case "blksize":
                guard let size = Int(value), (8...65464).contains(size) else {
                    state = .failed("server granted blksize \(value)")
                    return .none
                }
                blockSize = size
            case "windowsize":
                guard let size = Int(value), (1...65535).contains(size) else {
                    state = .failed("server granted windowsize \(value)")
                    return .none
                }
                window = size
            case "tsize":
                guard Int(value) == expected.count else {
                    state = .failed("server announced tsize \(value), the file has \(expected.count) bytes")
                    return .none
                }
            default:
                break
            }
        }
        state = .receiving
        return .acknowledge(0)
    }

    private mutating func data(block: UInt16, payload: UnsafeRawBufferPointer, expected: UnsafeRawBufferPointer) -> Reply {
        // A server that ignores options answers the request with block 1 at 512 bytes.
        if state == .requesting { state = .receiving }
        let wanted = UInt16(truncatingIfNeeded: nextBlock)
        guard block == wanted else {
            if block == wanted &- 1 {
                duplicates += 1
                // Lock-step: the server did not get our ACK. In a window, its timer resends
                // the whole window and our ACK of the last block comes at its end.
                return window == 1 ? .acknowledge(block) : .none
            }
            guard window > 1, !gapAcknowledged, Int16(bitPattern: block &- wanted) > 0 else { return .none }
            gapAcknowledged = true
            sinceAcknowledgement = 0
            return .acknowledge(wanted &- 1)
        }
        guard payload.count <= blockSize else {
            state = .failed("block \(nextBlock) has \(payload.count) bytes, more than blksize \(blockSize)")
            return .none
        }
        let end = receivedBytes + payload.count
        guard end <= expected.count else {
            state = .failed("more than the file's \(expected.count) bytes")
            return .none
        }
        if let base = expected.baseAddress, let received = payload.baseAddress, payload.count > 0,
           memcmp(base + receivedBytes, received, payload.count) != 0 {
            state = .failed("block \(nextBlock) differs from the file")
            return .none
        }
        receivedBytes = end
        nextBlock += 1
        gapAcknowledged = false
        sinceAcknowledgement += 1
        if payload.count < blockSize {
            guard receivedBytes == expected.count else {
                state = .failed("ended after \(receivedBytes) of \(expected.count) bytes")
                return .acknowledge(block)
            }
            state = .completed
            return .acknowledge(block)
        }
        guard sinceAcknowledgement >= window else { return .none }
        sinceAcknowledgement = 0
        return .acknowledge(block)
    }
}
