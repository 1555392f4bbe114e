import ClusterCore
import Glibc
import NIOCore
import Testing

@testable import TFTPd

/// The read transfer's decisions (RFC 1350, 2347, 7440), clock given by hand in milliseconds.
struct TransferTests {
    private static let ms: UInt64 = 1_000_000

    private func plan(size: Int, blockSize: Int = 512, window: Int = 1, options: Bool = false,
                      retransmitMilliseconds: UInt64 = 100, retries: Int = 2, totalMilliseconds: UInt64 = 10_000) -> Transfer.Plan {
        var negotiation = TFTPNegotiation()
        negotiation.blockSize = blockSize
        negotiation.windowSize = window
        if options { negotiation.acknowledged = [TFTPOption("blksize", String(blockSize))] }
        let contents = ByteBuffer(bytes: (0..<size).map { UInt8(truncatingIfNeeded: $0) })
        return Transfer.Plan(
            file: FramedFile(contents: contents, blockSize: blockSize), negotiation: negotiation,
            retransmitNanoseconds: retransmitMilliseconds * Self.ms, retries: retries, totalNanoseconds: totalMilliseconds * Self.ms
        )
    }

    @Test func lockStepSendsEachBlockOnTheAckOfThePreviousAndEndsOnTheLastAck() {
        var transfer = Transfer(plan: plan(size: 1025))
        #expect(transfer.start(now: 0) == .sendBlocks(1...1))
        #expect(transfer.acknowledgement(1, now: 1) == .sendBlocks(2...2))
        #expect(transfer.acknowledgement(2, now: 2) == .sendBlocks(3...3))
        #expect(transfer.acknowledgement(3, now: 3) == .finish(.completed))
        #expect(transfer.isFinished)
    }

    @Test func aFileOfWholeBlocksEndsWithAnEmptyBlock() {
        var transfer = Transfer(plan: plan(size: 1024))
        _ = transfer.start(now: 0)
        _ = transfer.acknowledgement(1, now: 0)
        #expect(transfer.acknowledgement(2, now: 0) == .sendBlocks(3...3))
        #expect(transfer.plan.file.span(of: 3).count == 4)
        #expect(transfer.acknowledgement(3, now: 0) == .finish(.completed))
    }

    @Test func aRepeatedOrStaleAckIsNeverAnsweredWithAResend() {
        var transfer = Transfer(plan: plan(size: 2000))
        _ = transfer.start(now: 0)
        #expect(transfer.acknowledgement(1, now: 1) == .sendBlocks(2...2))
        #expect(transfer.acknowledgement(1, now: 2) == .none)
        #expect(transfer.acknowledgement(0, now: 3) == .none)
        // An ACK for a block not sent yet is not believed either.
        #expect(transfer.acknowledgement(3, now: 4) == .none)
        #expect(transfer.acknowledgement(2, now: 5) == .sendBlocks(3...3))
    }

    @Test func grantedOptionsAreSentAsAnOptionAckThatOnlyAckZeroAccepts() {
        var transfer = Transfer(plan: plan(size: 100, options: true))
        #expect(transfer.start(now: 0) == .sendOptionAcknowledgement)
        #expect(transfer.acknowledgement(1, now: 1) == .none)
        #expect(transfer.acknowledgement(0, now: 2) == .sendBlocks(1...1))
        #expect(transfer.acknowledgement(1, now: 3) == .finish(.completed))
    }

    @Test func aWindowGoesOnFromTheFirstBlockAPartialAckLacks() {
        // 10 blocks: 9 full and a short one.
        var transfer = Transfer(plan: plan(size: 9 * 512 + 100, window: 4))
        #expect(transfer.start(now: 0) == .sendBlocks(1...4))
        // RFC 7440 §4: the client saw a gap after block 2.
        #expect(transfer.acknowledgement(2, now: 1) == .sendBlocks(3...6))
        #expect(transfer.acknowledgement(6, now: 2) == .sendBlocks(7...10))
        #expect(transfer.acknowledgement(10, now: 3) == .finish(.completed))
    }

    @Test func blockNumbersWrapAfter65535AndAreCountedOn() {
        // 65,537 blocks of 8 bytes and a short last one: block 65,536 goes out as 0.
        let blocks = 65_538
        var transfer = Transfer(plan: plan(size: (blocks - 1) * 8 + 3, blockSize: 8))
        #expect(transfer.start(now: 0) == .sendBlocks(1...1))
        for block in 1..<blocks {
            let action = transfer.acknowledgement(UInt16(truncatingIfNeeded: block), now: 0)
            guard action == .sendBlocks((block + 1)...(block + 1)) else {
                Issue.record("ACK \(block) gave \(action)")
                return
            }
        }
        #expect(transfer.acknowledgement(UInt16(truncatingIfNeeded: blocks), now: 0) == .finish(.completed))
        #expect(transfer.acknowledged == blocks)
    }

    @Test func silenceResendsTheWindowThenGivesUpAfterTheRetries() {
        var transfer = Transfer(plan: plan(size: 5000, window: 2))
        #expect(transfer.start(now: 0) == .sendBlocks(1...2))
        #expect(transfer.tick(now: 99 * Self.ms) == .none)
        #expect(transfer.tick(now: 100 * Self.ms) == .sendBlocks(1...2))
        #expect(transfer.tick(now: 150 * Self.ms) == .none)
        #expect(transfer.tick(now: 200 * Self.ms) == .sendBlocks(1...2))
        #expect(transfer.tick(now: 300 * Self.ms) == .finish(.timeout))
        #expect(Transfer.Outcome.timeout.errorForClient == nil)
    }

    @Test func progressStartsTheSilenceCountAgain() {
        var transfer = Transfer(plan: plan(size: 5000))
        _ = transfer.start(now: 0)
        #expect(transfer.tick(now: 100 * Self.ms) == .sendBlocks(1...1))
        #expect(transfer.tick(now: 200 * Self.ms) == .sendBlocks(1...1))
        #expect(transfer.acknowledgement(1, now: 250 * Self.ms) == .sendBlocks(2...2))
        #expect(transfer.tick(now: 350 * Self.ms) == .sendBlocks(2...2))
        #expect(transfer.tick(now: 450 * Self.ms) == .sendBlocks(2...2))
        #expect(transfer.tick(now: 550 * Self.ms) == .finish(.timeout))
    }

    @Test func anUnansweredOptionAckIsSentAgain() {
        var transfer = Transfer(plan: plan(size: 100, options: true))
        _ = transfer.start(now: 0)
        #expect(transfer.tick(now: 100 * Self.ms) == .sendOptionAcknowledgement)
    }

    @Test func aClockReadBeforeTheStartIsNoTimePassed() {
        var transfer = Transfer(plan: plan(size: 5000))
        #expect(transfer.start(now: 500 * Self.ms) == .sendBlocks(1...1))
        #expect(transfer.tick(now: 400 * Self.ms) == .none)
        #expect(!transfer.isFinished)
    }

    @Test func theTotalTimeLimitEndsEvenATransferThatProgresses() {
        var transfer = Transfer(plan: plan(size: 100_000, totalMilliseconds: 1000))
        _ = transfer.start(now: 0)
        #expect(transfer.acknowledgement(1, now: 999 * Self.ms) == .sendBlocks(2...2))
        #expect(transfer.tick(now: 1000 * Self.ms) == .finish(.totalTimeout))
        #expect(Transfer.Outcome.totalTimeout.errorForClient?.code == .undefined)
    }

    @Test func aClientErrorEndsTheTransferWithoutAnswer() {
        var refused = Transfer(plan: plan(size: 100, options: true))
        _ = refused.start(now: 0)
        #expect(refused.clientError(.optionsRefused) == .finish(.optionsRefused))
        #expect(Transfer.Outcome.optionsRefused.errorForClient == nil)
        var other = Transfer(plan: plan(size: 100))
        _ = other.start(now: 0)
        #expect(other.clientError(.diskFull) == .finish(.clientError))
    }

    @Test func aPacketOfAnotherKindEndsTheTransferWithAnIllegalOperationError() {
        var transfer = Transfer(plan: plan(size: 100))
        _ = transfer.start(now: 0)
        #expect(transfer.unexpectedPacket() == .finish(.protocolError))
        #expect(Transfer.Outcome.protocolError.errorForClient?.code == .illegalOperation)
    }

    @Test func anEndedTransferDecidesNothingMore() {
        var transfer = Transfer(plan: plan(size: 100))
        _ = transfer.start(now: 0)
        #expect(transfer.shutdown() == .finish(.shutdown))
        #expect(Transfer.Outcome.shutdown.errorForClient != nil)
        #expect(transfer.acknowledgement(1, now: 0) == .none)
        #expect(transfer.tick(now: 10_000 * Self.ms) == .none)
        #expect(transfer.clientError(.undefined) == .none)
        #expect(transfer.unexpectedPacket() == .none)
        #expect(transfer.shutdown() == .none)
    }
}

struct PeerAddressTests {
    @Test func matchesOnlyTheSameAddressAndPort() throws {
        let client = PeerAddress(try SocketAddress(ipAddress: "192.0.2.10", port: 2000))
        #expect(client.matches(PeerAddress(try SocketAddress(ipAddress: "192.0.2.10", port: 2000))))
        #expect(!client.matches(PeerAddress(try SocketAddress(ipAddress: "192.0.2.10", port: 2001))))
        #expect(!client.matches(PeerAddress(try SocketAddress(ipAddress: "192.0.2.11", port: 2000))))
        #expect(!client.matches(PeerAddress(try SocketAddress(ipAddress: "::ffff:192.0.2.10", port: 2000))))
        let v6 = PeerAddress(try SocketAddress(ipAddress: "2001:db8::1", port: 69))
        #expect(v6.matches(PeerAddress(try SocketAddress(ipAddress: "2001:db8::1", port: 69))))
        #expect(!v6.matches(PeerAddress(try SocketAddress(ipAddress: "2001:db8::2", port: 69))))
    }

    @Test func aTransferSocketIsBoundToTheRequestsAddressOnAFreshPort() throws {
        let socket = try TransferSocket.open(local: try SocketAddress(ipAddress: "127.0.0.1", port: 69),
                                             client: try SocketAddress(ipAddress: "127.0.0.1", port: 40000))
        defer { socket.close() }
        var bound = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let result = withUnsafeMutablePointer(to: &bound) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket.descriptor, $0, &length) }
        }
        #expect(result == 0)
        #expect(UInt32(bigEndian: bound.sin_addr.s_addr) == 0x7F00_0001)
        #expect(UInt16(bigEndian: bound.sin_port) != 69)
        #expect(UInt16(bigEndian: bound.sin_port) != 0)
    }
}
