import NIOCore
import Testing

@testable import TFTPd

/// The DATA packets a file is cut into: what every client receives.
struct FramedFileTests {
    private func framed(_ size: Int, blockSize: Int) -> FramedFile {
        FramedFile(contents: ByteBuffer(bytes: (0..<size).map { UInt8(truncatingIfNeeded: $0 * 7) }), blockSize: blockSize)
    }

    @Test(arguments: [(0, 1), (1, 1), (511, 1), (512, 2), (513, 2), (1024, 3)])
    func aShortOrEmptyLastBlockEndsTheTransfer(size: Int, blocks: Int) {
        let file = framed(size, blockSize: 512)
        #expect(file.blockCount == blocks)
        let last = file.packet(file.blockCount)
        #expect(last.readableBytes - 4 == size % 512)
        var rebuilt: [UInt8] = []
        for block in 1...file.blockCount {
            var packet = file.packet(block)
            #expect(packet.readInteger(as: UInt16.self) == 3)
            #expect(packet.readInteger(as: UInt16.self) == UInt16(block))
            rebuilt += packet.readBytes(length: packet.readableBytes) ?? []
        }
        #expect(rebuilt == (0..<size).map { UInt8(truncatingIfNeeded: $0 * 7) })
    }

    @Test func blockNumbersWrapAfter65535() {
        let file = framed(65_536 * 8 + 3, blockSize: 8)
        var packet = file.packet(65_536)
        packet.moveReaderIndex(forwardBy: 2)
        #expect(packet.readInteger(as: UInt16.self) == 0)
        var next = file.packet(65_537)
        next.moveReaderIndex(forwardBy: 2)
        #expect(next.readInteger(as: UInt16.self) == 1)
        #expect(file.packet(file.blockCount).readableBytes == 4 + 3)
    }

    @Test func netasciiEndsLinesInCRLFAndEscapesBareCR() {
        let encoded = NetASCII.encode(ByteBuffer(bytes: Array("a\nb\rc".utf8)))
        #expect(Array(encoded.readableBytesView) == [0x61, 0x0D, 0x0A, 0x62, 0x0D, 0x00, 0x63])
    }
}
