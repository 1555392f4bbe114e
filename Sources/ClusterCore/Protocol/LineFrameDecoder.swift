import NIOCore

/// Splits a byte stream into `LineFrame`s: lines terminated by LF, with an optional CR
/// before the LF removed.
///
/// The maximum line length bounds memory per connection: as soon as more than `maximum`
/// bytes are buffered without an LF (a CR that may start a CRLF is allowed as the one extra
/// byte) the decoder emits `.tooLong` and from then on discards everything, rather than
/// waiting for a newline that a hostile peer may never send. A line that is not UTF-8 is
/// reported as `.invalidEncoding` and decoding continues. A last line without terminator at
/// EOF is incomplete and dropped.
public struct LineFrameDecoder: ByteToMessageDecoder {
    public typealias InboundOut = LineFrame

    /// The longest line accepted, in bytes, excluding the terminator.
    public let maximumLineLength: Int
    /// How many readable bytes have already been searched for an LF, so a line arriving in
    /// many small reads is scanned once rather than once per read.
    private var searchedBytes = 0
    /// Set after `.tooLong`: all further input is discarded.
    private var isDiscarding = false

    /// - Parameter maximumLineLength: at least 1.
    public init(maximumLineLength: Int) {
        precondition(maximumLineLength > 0, "maximumLineLength must be positive")
        self.maximumLineLength = maximumLineLength
    }

    /// Emits at most one frame per call; `ByteToMessageHandler` calls again while it returns `.continue`.
    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let frame = nextFrame(from: &buffer) else { return .needMoreData }
        context.fireChannelRead(Self.wrapInboundOut(frame))
        return .continue
    }

    /// Emits the complete lines left at EOF and drops an unterminated tail.
    public mutating func decodeLast(
        context: ChannelHandlerContext,
        buffer: inout ByteBuffer,
        seenEOF: Bool
    ) throws -> DecodingState {
        while let frame = nextFrame(from: &buffer) {
            context.fireChannelRead(Self.wrapInboundOut(frame))
        }
        buffer.moveReaderIndex(to: buffer.writerIndex)
        return .needMoreData
    }

    /// The next frame in `buffer`, consuming its bytes, or nil if more data is needed.
    mutating func nextFrame(from buffer: inout ByteBuffer) -> LineFrame? {
        guard !isDiscarding else {
            buffer.moveReaderIndex(to: buffer.writerIndex)
            return nil
        }
        let view = buffer.readableBytesView
        guard let newline = view[(view.startIndex + searchedBytes)...].firstIndex(of: UInt8(ascii: "\n")) else {
            searchedBytes = view.count
            let endsWithCR = view.last == UInt8(ascii: "\r")
            if view.count > maximumLineLength + (endsWithCR ? 1 : 0) {
                return overflow(&buffer)
            }
            return nil
        }
        searchedBytes = 0
        var lineEnd = newline
        if lineEnd > view.startIndex, view[lineEnd - 1] == UInt8(ascii: "\r") {
            lineEnd -= 1
        }
        guard lineEnd - view.startIndex <= maximumLineLength else { return overflow(&buffer) }
        let frame = ProtocolToken.validatedUTF8(view[view.startIndex..<lineEnd]).map(LineFrame.line) ?? .invalidEncoding
        buffer.moveReaderIndex(forwardBy: newline - view.startIndex + 1)
        return frame
    }

    private mutating func overflow(_ buffer: inout ByteBuffer) -> LineFrame {
        isDiscarding = true
        buffer.moveReaderIndex(to: buffer.writerIndex)
        return .tooLong
    }
}
