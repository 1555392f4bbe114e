import NIOCore

/// A file's DATA packets at one block size, ready to send: block n is a slice of one buffer,
/// so every transfer of the file at that block size shares the same memory and a send
/// allocates nothing.
struct FramedFile: Sendable {
    let packets: ByteBuffer
    let blockSize: Int
    /// The bytes the client receives (after netascii conversion, if any).
    let size: Int
    /// Blocks in the transfer: the last one is shorter than `blockSize`, and is empty when the
    /// size is a multiple of it (RFC 1350 §6: a short block ends the transfer).
    let blockCount: Int

    init(contents: ByteBuffer, blockSize: Int) {
        self.blockSize = blockSize
        size = contents.readableBytes
        blockCount = size / blockSize + 1
        var packets = ByteBufferAllocator().buffer(capacity: size + 4 * blockCount)
        var remaining = contents
        for block in 1...blockCount {
            packets.writeInteger(TFTPPacketOpcode.data)
            packets.writeInteger(UInt16(truncatingIfNeeded: block))
            let count = min(blockSize, remaining.readableBytes)
            if count > 0, var slice = remaining.readSlice(length: count) { packets.writeBuffer(&slice) }
        }
        self.packets = packets
    }

    /// DATA packet `block` (1-based, not wrapped).
    func packet(_ block: Int) -> ByteBuffer {
        let span = span(of: block)
        return packets.getSlice(at: packets.readerIndex + span.lowerBound, length: span.count) ?? ByteBuffer()
    }

    /// Where DATA packet `block` lies in the bytes `withPacketBytes` lends.
    func span(of block: Int) -> Range<Int> {
        let offset = (block - 1) * (blockSize + 4)
        return offset..<(offset + 4 + min(blockSize, size - (block - 1) * blockSize))
    }

    /// Every packet of the file, back to back, for sending without a copy.
    func withPacketBytes<T>(_ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T {
        try packets.withUnsafeReadableBytes(body)
    }

    var memory: Int { packets.capacity }
}

enum TFTPPacketOpcode {
    static let data: UInt16 = 3
}
