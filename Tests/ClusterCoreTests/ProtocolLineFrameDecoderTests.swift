import NIOCore
import NIOEmbedded
import Testing

@testable import ClusterCore

@Suite("LineFrameDecoder")
struct ProtocolLineFrameDecoderTests {
    private func channel(maximum: Int = 16) -> EmbeddedChannel {
        EmbeddedChannel(handler: ByteToMessageHandler(LineFrameDecoder(maximumLineLength: maximum)))
    }

    private func frames(_ channel: EmbeddedChannel) throws -> [LineFrame] {
        var frames = [LineFrame]()
        while let frame = try channel.readInbound(as: LineFrame.self) { frames.append(frame) }
        return frames
    }

    @Test func severalLinesInOneBufferAreDecodedInOrder() throws {
        let channel = channel()
        try channel.writeInbound(ByteBuffer(string: "PING\nECHO a\nWHOAMI\n"))
        #expect(try frames(channel) == [.line("PING"), .line("ECHO a"), .line("WHOAMI")])
    }

    @Test func crlfAndLfBothTerminateALine() throws {
        let channel = channel()
        try channel.writeInbound(ByteBuffer(string: "PING\r\nECHO\n"))
        #expect(try frames(channel) == [.line("PING"), .line("ECHO")])
    }

    @Test func aCarriageReturnNotBeforeLFStaysInTheLine() throws {
        let channel = channel()
        try channel.writeInbound(ByteBuffer(string: "A\rB\r\r\n"))
        #expect(try frames(channel) == [.line("A\rB\r")])
    }

    @Test func emptyLinesAreFrames() throws {
        let channel = channel()
        try channel.writeInbound(ByteBuffer(string: "\n\r\nPING\n"))
        #expect(try frames(channel) == [.line(""), .line(""), .line("PING")])
    }

    @Test func aLineSplitAcrossBuffersIsJoined() throws {
        let channel = channel()
        for piece in ["EC", "HO h", "é"] {
            try channel.writeInbound(ByteBuffer(string: piece))
            #expect(try frames(channel) == [])
        }
        // The é is split between its two UTF-8 bytes.
        try channel.writeInbound(ByteBuffer(bytes: [0xC3]))
        try channel.writeInbound(ByteBuffer(bytes: [0xA9, 0x0D]))
        #expect(try frames(channel) == [])
        try channel.writeInbound(ByteBuffer(string: "\nPI"))
        #expect(try frames(channel) == [.line("ECHO héé")])
    }

    @Test func invalidUTF8IsReportedForThatLineOnly() throws {
        let channel = channel()
        try channel.writeInbound(ByteBuffer(bytes: Array("OK\n".utf8) + [0xFF, 0xC3, 0x28, 0x0A] + Array("PING\n".utf8)))
        #expect(try frames(channel) == [.line("OK"), .invalidEncoding, .line("PING")])
    }

    @Test func aLineOfExactlyTheMaximumIsAccepted() throws {
        let channel = channel(maximum: 4)
        try channel.writeInbound(ByteBuffer(string: "ABCD\r"))
        #expect(try frames(channel) == [])
        try channel.writeInbound(ByteBuffer(string: "\nWXYZ\n"))
        #expect(try frames(channel) == [.line("ABCD"), .line("WXYZ")])
    }

    @Test func anOversizedTerminatedLineIsTooLongAndEverythingAfterIsDiscarded() throws {
        let channel = channel(maximum: 4)
        try channel.writeInbound(ByteBuffer(string: "OK\nABCDE\nPING\n"))
        #expect(try frames(channel) == [.line("OK"), .tooLong])
        try channel.writeInbound(ByteBuffer(string: "PING\n"))
        #expect(try frames(channel) == [])
    }

    @Test func aFloodWithoutNewlineIsCutOffAsSoonAsItExceedsTheMaximum() throws {
        let channel = channel(maximum: 8)
        try channel.writeInbound(ByteBuffer(string: "AAAAAAAA"))
        #expect(try frames(channel) == [])
        try channel.writeInbound(ByteBuffer(string: "A"))
        #expect(try frames(channel) == [.tooLong])
        // Whatever follows is dropped rather than buffered: memory stays bounded.
        for _ in 0..<100 {
            try channel.writeInbound(ByteBuffer(repeating: UInt8(ascii: "A"), count: 4096))
        }
        try channel.writeInbound(ByteBuffer(string: "\nPING\n"))
        #expect(try frames(channel) == [])
    }

    @Test func aCROverTheMaximumDoesNotCount() throws {
        let channel = channel(maximum: 4)
        try channel.writeInbound(ByteBuffer(string: "ABCD\r"))
        #expect(try frames(channel) == [])
        try channel.writeInbound(ByteBuffer(string: "E"))
        #expect(try frames(channel) == [.tooLong])
    }

    @Test func anUnterminatedLastLineAtEOFIsDropped() throws {
        let channel = channel()
        try channel.writeInbound(ByteBuffer(string: "PING\nPIN"))
        #expect(try frames(channel) == [.line("PING")])
        _ = try channel.finish()
        #expect(try frames(channel) == [])
    }
}
