import NIOCore

/// Writes each outbound `Response` as one LF-terminated line.
struct ResponseEncoder: MessageToByteEncoder {
    typealias OutboundIn = Response

    func encode(data: Response, out: inout ByteBuffer) throws {
        data.write(to: &out)
    }
}
