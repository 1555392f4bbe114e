import NIOCore

/// netascii (RFC 764, as RFC 1350 uses it): lines end in CR LF and a bare CR is CR NUL. Boot
/// firmware asks for octet; tftp-hpa's client asks for netascii unless told otherwise.
enum NetASCII {
    static func encode(_ contents: ByteBuffer) -> ByteBuffer {
        var output = ByteBufferAllocator().buffer(capacity: contents.readableBytes + contents.readableBytes / 16)
        for byte in contents.readableBytesView {
            switch byte {
            case 0x0A: output.writeBytes([0x0D, 0x0A])
            case 0x0D: output.writeBytes([0x0D, 0x00])
            default: output.writeInteger(byte)
            }
        }
        return output
    }
}
