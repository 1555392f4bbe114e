import NIOCore
import Testing

@testable import ClusterCore

@Suite("TFTP option negotiation")
struct TFTPNegotiationTests {
    typealias Limits = TFTPNegotiation.Limits

    private func negotiate(_ options: [(String, String)], fileSize: Int = 1_000, limits: Limits = Limits()) -> TFTPNegotiation {
        let request = TFTPRequest(filename: "pxelinux.0", options: options.map { TFTPOption($0.0, $0.1) })
        return TFTPNegotiation(request: request, fileSize: fileSize, limits: limits)
    }

    /// Negotiates a read request given as the bytes a client sends.
    private func negotiate(sent text: String, fileSize: Int, limits: Limits = Limits()) throws -> TFTPNegotiation {
        var buffer = ByteBuffer(bytes: Array(text.utf8))
        guard case .readRequest(let request) = try TFTPPacket(parsing: &buffer) else {
            Issue.record("not a read request")
            return TFTPNegotiation()
        }
        return TFTPNegotiation(request: request, fileSize: fileSize, limits: limits)
    }

    // MARK: Defaults

    @Test func noOptionsMeansNoAcknowledgementAndRFC1350Defaults() {
        let negotiation = negotiate([])
        #expect(negotiation.acknowledged.isEmpty)
        #expect(negotiation.blockSize == 512)
        #expect(negotiation.windowSize == 1)
        #expect(negotiation.timeoutSeconds == nil)
        #expect(negotiation == TFTPNegotiation())
    }

    @Test func defaultLimitsAre1468BytesAndAWindowOf64() {
        #expect(Limits().maximumBlockSize == 1468)
        #expect(Limits().maximumWindowSize == 64)
    }

    // MARK: blksize (RFC 2348)

    @Test(arguments: [8, 512, 1024, 1408, 1432, 1468])
    func blockSizeWithinTheLimitIsAccepted(size: Int) {
        let negotiation = negotiate([("blksize", String(size))])
        #expect(negotiation.blockSize == size)
        #expect(negotiation.acknowledged == [TFTPOption("blksize", String(size))])
    }

    @Test(arguments: [1469, 1500, 8192, 65_464])
    func blockSizeAboveTheLimitIsClampedAndAcknowledgedClamped(size: Int) {
        let negotiation = negotiate([("blksize", String(size))])
        #expect(negotiation.blockSize == 1468)
        #expect(negotiation.acknowledged == [TFTPOption("blksize", "1468")])
    }

    @Test func blockSizeIsClampedToAConfiguredLimit() {
        let limits = Limits(maximumBlockSize: 8192)
        #expect(negotiate([("blksize", "65464")], limits: limits).blockSize == 8192)
        #expect(negotiate([("blksize", "65464")], limits: limits).acknowledged == [TFTPOption("blksize", "8192")])
        #expect(negotiate([("blksize", "65464")], limits: Limits(maximumBlockSize: 65_464)).blockSize == 65_464)
    }

    @Test(arguments: ["7", "0", "65465", "abc", "-1", "99999999999", "", "1e3", "0x200", " 512", "512 ", "1468.0"])
    func blockSizeOutOfRangeOrNotANumberIsIgnored(value: String) {
        let negotiation = negotiate([("blksize", value)])
        #expect(negotiation.blockSize == 512)
        #expect(negotiation.acknowledged.isEmpty)
    }

    @Test func acknowledgedBlockSizeIsWrittenInPlainDecimal() {
        #expect(negotiate([("blksize", "01024")]).acknowledged == [TFTPOption("blksize", "1024")])
    }

    @Test func limitBelow512DoesNotShrinkTheBlockSizeOfAClientThatDidNotAsk() {
        // RFC 1350's 512 bytes are not negotiable without the option: the limit bounds only what
        // a client asks for.
        let limits = Limits(maximumBlockSize: 256)
        #expect(negotiate([], limits: limits).blockSize == 512)
        #expect(negotiate([("blksize", "1024")], limits: limits).blockSize == 256)
        #expect(negotiate([("blksize", "1024")], limits: limits).acknowledged == [TFTPOption("blksize", "256")])
    }

    // MARK: timeout (RFC 2349)

    @Test(arguments: [1, 5, 255])
    func timeoutFrom1To255IsAccepted(seconds: Int) {
        let negotiation = negotiate([("timeout", String(seconds))])
        #expect(negotiation.timeoutSeconds == seconds)
        #expect(negotiation.acknowledged == [TFTPOption("timeout", String(seconds))])
    }

    @Test(arguments: ["0", "256", "-5", "1.5", "five", ""])
    func timeoutOutOf1To255IsIgnored(value: String) {
        let negotiation = negotiate([("timeout", value)])
        #expect(negotiation.timeoutSeconds == nil)
        #expect(negotiation.acknowledged.isEmpty)
    }

    // MARK: tsize (RFC 2349)

    @Test(arguments: [1, 1_000, 41_943_040])
    func transferSizeIsAcknowledgedWithTheFileSize(fileSize: Int) {
        let negotiation = negotiate([("tsize", "0")], fileSize: fileSize)
        #expect(negotiation.acknowledged == [TFTPOption("tsize", String(fileSize))])
        #expect(negotiation.blockSize == 512)
        #expect(negotiation.windowSize == 1)
    }

    @Test func fortyMebibyteFileSizeIsWrittenInFull() {
        #expect(negotiate([("tsize", "0")], fileSize: 40 * 1024 * 1024).acknowledged == [TFTPOption("tsize", "41943040")])
    }

    @Test func zeroByteFileLeavesTheTransferSizeUnacknowledged() {
        // curl aborts on "tsize 0" in an OACK; RFC 2349 lets a server leave the option out.
        #expect(negotiate([("tsize", "0")], fileSize: 0).acknowledged.isEmpty)
        let negotiation = negotiate([("tsize", "0"), ("blksize", "1024")], fileSize: 0)
        #expect(negotiation.acknowledged == [TFTPOption("blksize", "1024")])
        #expect(negotiation.blockSize == 1024)
    }

    @Test func transferSizeOtherThanZeroIsStillAnsweredWithTheFileSize() {
        #expect(negotiate([("tsize", "12345")], fileSize: 99).acknowledged == [TFTPOption("tsize", "99")])
    }

    @Test(arguments: ["-1", "x", "", "99999999999"])
    func transferSizeThatIsNotANumberIsIgnored(value: String) {
        #expect(negotiate([("tsize", value)]).acknowledged.isEmpty)
    }

    // MARK: windowsize (RFC 7440)

    @Test(arguments: [1, 4, 16, 64])
    func windowSizeWithinTheLimitIsAccepted(size: Int) {
        let negotiation = negotiate([("windowsize", String(size))])
        #expect(negotiation.windowSize == size)
        #expect(negotiation.acknowledged == [TFTPOption("windowsize", String(size))])
    }

    @Test(arguments: [65, 1_000, 65_535])
    func windowSizeAboveTheLimitIsClamped(size: Int) {
        let negotiation = negotiate([("windowsize", String(size))])
        #expect(negotiation.windowSize == 64)
        #expect(negotiation.acknowledged == [TFTPOption("windowsize", "64")])
    }

    @Test func windowSizeIsClampedToAConfiguredLimit() {
        let negotiation = negotiate([("windowsize", "16")], limits: Limits(maximumWindowSize: 1))
        #expect(negotiation.windowSize == 1)
        #expect(negotiation.acknowledged == [TFTPOption("windowsize", "1")])
    }

    @Test(arguments: ["0", "65536", "-1", "many"])
    func windowSizeOutOfRangeIsIgnored(value: String) {
        let negotiation = negotiate([("windowsize", value)])
        #expect(negotiation.windowSize == 1)
        #expect(negotiation.acknowledged.isEmpty)
    }

    // MARK: Several options

    @Test func unknownOptionsAreIgnoredAndTheOthersAcknowledgedInTheClientsOrder() {
        // RFC 2347 §2: a server ignores the options it does not support.
        let negotiation = negotiate(
            [("multicast", ""), ("tsize", "0"), ("utimeout", "500000"), ("blksize", "1432"), ("x-vendor", "1")],
            fileSize: 4096)
        #expect(negotiation.acknowledged == [TFTPOption("tsize", "4096"), TFTPOption("blksize", "1432")])
        #expect(negotiation.blockSize == 1432)
    }

    @Test func acknowledgementFollowsTheClientsOrder() {
        let all = [("windowsize", "8"), ("timeout", "2"), ("blksize", "1024"), ("tsize", "0")]
        #expect(negotiate(all, fileSize: 7).acknowledged.map(\.name) == ["windowsize", "timeout", "blksize", "tsize"])
        #expect(negotiate(all.reversed(), fileSize: 7).acknowledged.map(\.name) == ["tsize", "blksize", "timeout", "windowsize"])
    }

    @Test func invalidValueOfOneOptionDoesNotStopTheOthers() {
        let negotiation = negotiate([("blksize", "7"), ("timeout", "3"), ("windowsize", "0"), ("tsize", "0")], fileSize: 10)
        #expect(negotiation.acknowledged == [TFTPOption("timeout", "3"), TFTPOption("tsize", "10")])
        #expect(negotiation.blockSize == 512)
        #expect(negotiation.windowSize == 1)
        #expect(negotiation.timeoutSeconds == 3)
    }

    @Test func everyOptionAtOnce() {
        let negotiation = negotiate([("tsize", "0"), ("blksize", "1468"), ("timeout", "3"), ("windowsize", "16")], fileSize: 41_943_040)
        #expect(negotiation.blockSize == 1468)
        #expect(negotiation.windowSize == 16)
        #expect(negotiation.timeoutSeconds == 3)
        #expect(negotiation.acknowledged == [
            TFTPOption("tsize", "41943040"), TFTPOption("blksize", "1468"), TFTPOption("timeout", "3"), TFTPOption("windowsize", "16"),
        ])
    }

    // MARK: Requests as clients send them

    @Test func pxelinuxRequestIsAnsweredWithSizeAndItsBlockSize() throws {
        let negotiation = try negotiate(sent: "\0\u{1}pxelinux.cfg/default\0octet\0tsize\00\0blksize\01408\0", fileSize: 1_234)
        #expect(negotiation.acknowledged == [TFTPOption("tsize", "1234"), TFTPOption("blksize", "1408")])
        #expect(negotiation.blockSize == 1408)
    }

    @Test func ipxeMulticastRequestIsAnsweredWithoutTheMulticastOption() throws {
        let negotiation = try negotiate(
            sent: "\0\u{1}ltsp/ltsp.ipxe\0octet\0blksize\01432\0tsize\00\0multicast\0\0", fileSize: 41_943_040)
        #expect(negotiation.acknowledged == [TFTPOption("blksize", "1432"), TFTPOption("tsize", "41943040")])
        #expect(negotiation.blockSize == 1432)
    }

    @Test func upperCaseOptionNamesAreAcknowledgedInLowerCase() throws {
        let negotiation = try negotiate(sent: "\0\u{1}pxelinux.0\0OCTET\0BLKSIZE\01024\0TSIZE\00\0", fileSize: 5)
        #expect(negotiation.acknowledged == [TFTPOption("blksize", "1024"), TFTPOption("tsize", "5")])
        #expect(negotiation.acknowledged.map(\.name) == ["blksize", "tsize"])
    }

    @Test func requestWithoutOptionsIsAnsweredWithoutAnOptionAcknowledgement() throws {
        #expect(try negotiate(sent: "\0\u{1}pxelinux.0\0octet\0", fileSize: 5) == TFTPNegotiation())
    }

    // MARK: Limits

    @Test(arguments: [(4, 8), (-1, 8), (8, 8), (512, 512), (65_464, 65_464), (65_465, 65_464), (100_000, 65_464)])
    func limitsClampTheirMaximumBlockSize(given: Int, kept: Int) {
        #expect(Limits(maximumBlockSize: given).maximumBlockSize == kept)
    }

    @Test(arguments: [(0, 1), (-3, 1), (1, 1), (65_535, 65_535), (65_536, 65_535), (1_000_000, 65_535)])
    func limitsClampTheirMaximumWindowSize(given: Int, kept: Int) {
        #expect(Limits(maximumWindowSize: given).maximumWindowSize == kept)
    }

    @Test func smallestLimitsStillAllowATransfer() {
        let negotiation = negotiate([("blksize", "65464"), ("windowsize", "65535")], limits: Limits(maximumBlockSize: 0, maximumWindowSize: 0))
        #expect(negotiation.blockSize == 8)
        #expect(negotiation.windowSize == 1)
        #expect(negotiation.acknowledged == [TFTPOption("blksize", "8"), TFTPOption("windowsize", "1")])
    }
}
