import ClusterCore
import Testing

/// The hand-read classification of datagrams on a transfer port (the full parser for the rest).
struct TFTPTransferDatagramTests {
    private func classify(_ bytes: [UInt8]) -> TFTPTransferDatagram {
        bytes.withUnsafeBytes { TFTPTransferDatagram(parsing: $0) }
    }

    @Test func readsAcksPaddedOrNotAndErrors() {
        #expect(classify([0, 4, 0x12, 0x34]) == .acknowledgement(0x1234))
        #expect(classify([0, 4, 0, 7, 0, 0, 0]) == .acknowledgement(7))
        #expect(classify([0, 5, 0, 8] + Array("refused".utf8) + [0]) == .error(.optionsRefused))
    }

    @Test func tellsAWellFormedPacketOfAnotherKindFromGarbage() {
        #expect(classify([0, 3, 0, 1, 0xAA]) == .unexpected)
        #expect(classify([0, 1] + Array("a".utf8) + [0] + Array("octet".utf8) + [0]) == .unexpected)
        #expect(classify([0, 1, 0x61, 0x62]) == .malformed)
        #expect(classify([0, 9, 0, 1]) == .malformed)
        #expect(classify([0, 4, 1]) == .malformed)
        #expect(classify([]) == .malformed)
        // An OACK without options parses, but is shorter than any packet of a transfer.
        #expect(classify([0, 6]) == .malformed)
    }
}
