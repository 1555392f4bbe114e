import NIOCore

/// What a datagram on a read transfer's port is, read without copying: the ACK and ERROR that
/// make up a transfer by hand, anything rarer by the full parser. Fewer than 4 bytes is
/// malformed: no packet a server can use in a transfer is shorter.
public enum TFTPTransferDatagram: Equatable, Sendable {
    case acknowledgement(UInt16)
    case error(TFTPErrorCode)
    /// A well-formed packet of another kind.
    case unexpected
    case malformed

    public init(parsing bytes: UnsafeRawBufferPointer) {
        guard bytes.count >= 4 else {
            self = .malformed
            return
        }
        let opcode = UInt16(bytes[0]) << 8 | UInt16(bytes[1])
        let value = UInt16(bytes[2]) << 8 | UInt16(bytes[3])
        switch opcode {
        case 4:
            // Extra bytes after the block number are ignored, as the parser does: some
            // firmware pads its ACKs.
            self = .acknowledgement(value)
        case 5:
            self = .error(TFTPErrorCode(rawValue: value))
        default:
            var buffer = ByteBuffer(bytes: bytes)
            self = (try? TFTPPacket(parsing: &buffer)) == nil ? .malformed : .unexpected
        }
    }
}
