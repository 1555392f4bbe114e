import NIOCore
import Testing

@testable import ClusterCore

/// Reads and writes whole packets as byte arrays for the TFTP wire-format tests.
private enum Wire {
    static func parse(_ bytes: [UInt8]) throws -> TFTPPacket {
        var buffer = ByteBuffer(bytes: bytes)
        let packet = try TFTPPacket(parsing: &buffer)
        // A packet is the whole datagram: nothing may be left unread.
        #expect(buffer.readableBytes == 0)
        return packet
    }

    /// The bytes of `text`, written as a C client writes them: `\0` is one NUL byte (Swift has
    /// no octal escapes, so "\01408" is a NUL followed by "1408").
    static func parse(_ text: String) throws -> TFTPPacket {
        try parse(Array(text.utf8))
    }

    static func serialize(_ packet: TFTPPacket) -> [UInt8] {
        var buffer = ByteBuffer()
        packet.serialize(into: &buffer)
        return Array(buffer.readableBytesView)
    }

    /// `count` bytes running through every value, NUL included.
    static func payload(_ count: Int) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 3) }
    }
}

@Suite("TFTP packets: parsing and serialising each type")
struct TFTPPacketTests {
    // MARK: Requests

    @Test func readRequestWithoutOptionsParses() throws {
        // tftp-hpa's client sends no options: its makerequest() (tftp/tftp.c) writes the file
        // name and the mode, each with its NUL, and nothing else.
        let packet = try Wire.parse("\0\u{1}pxelinux.0\0octet\0")
        #expect(packet == .readRequest(TFTPRequest(filename: "pxelinux.0", mode: "octet", options: [])))
        #expect(packet.opcode == .readRequest)
    }

    @Test func writeRequestParses() throws {
        let packet = try Wire.parse("\0\u{2}logs/client.log\0netascii\0")
        #expect(packet == .writeRequest(TFTPRequest(filename: "logs/client.log", mode: "netascii")))
        #expect(packet.opcode == .writeRequest)
    }

    @Test(arguments: ["netascii", "octet", "mail"])
    func everyModeOfRFC1350IsAccepted(mode: String) throws {
        let packet = try Wire.parse("\0\u{1}motd\0\(mode)\0")
        #expect(packet == .readRequest(TFTPRequest(filename: "motd", mode: mode)))
    }

    @Test func pxelinuxRequestParsesWithItsOptionsInOrder() throws {
        // PXELINUX (syslinux core/fs/pxe/tftp.c) appends rrq_tail, "octet\0tsize\00\0blksize\01408"
        // with its own terminating NUL, to the path and its NUL.
        let packet = try Wire.parse("\0\u{1}pxelinux.cfg/default\0octet\0tsize\00\0blksize\01408\0")
        let request = TFTPRequest(
            filename: "pxelinux.cfg/default", mode: "octet",
            options: [TFTPOption("tsize", "0"), TFTPOption("blksize", "1408")])
        #expect(packet == .readRequest(request))
    }

    @Test func ipxeRequestParsesWithItsOptionsInOrder() throws {
        // iPXE's tftp_send_rrq (src/net/udp/tftp.c) writes "%s%coctet" and then
        // "blksize%c%zd%ctsize%c0" with a block size of at most TFTP_MAX_BLKSIZE, 1432.
        let packet = try Wire.parse("\0\u{1}ltsp/ltsp.ipxe\0octet\0blksize\01432\0tsize\00\0")
        let request = TFTPRequest(
            filename: "ltsp/ltsp.ipxe", mode: "octet",
            options: [TFTPOption("blksize", "1432"), TFTPOption("tsize", "0")])
        #expect(packet == .readRequest(request))
    }

    @Test func ipxeMulticastOptionWithItsEmptyValueParses() throws {
        // With multicast TFTP, iPXE adds snprintf("multicast%c", 0) + 1 bytes: the name, its NUL
        // and an empty value's NUL.
        let packet = try Wire.parse("\0\u{1}ltsp/ltsp.ipxe\0octet\0blksize\01432\0tsize\00\0multicast\0\0")
        guard case .readRequest(let request) = packet else {
            Issue.record("not a read request: \(packet)")
            return
        }
        #expect(request.options == [TFTPOption("blksize", "1432"), TFTPOption("tsize", "0"), TFTPOption("multicast", "")])
        #expect(request.option("multicast") == "")
    }

    @Test func requestWithEveryKnownOptionParses() throws {
        let packet = try Wire.parse("\0\u{1}ltsp/amd64/vmlinuz\0octet\0tsize\00\0blksize\01468\0timeout\03\0windowsize\016\0")
        guard case .readRequest(let request) = packet else {
            Issue.record("not a read request: \(packet)")
            return
        }
        #expect(request.options.map(\.name) == ["tsize", "blksize", "timeout", "windowsize"])
        #expect(request.option(TFTPOption.transferSize) == "0")
        #expect(request.option(TFTPOption.blockSize) == "1468")
        #expect(request.option(TFTPOption.timeout) == "3")
        #expect(request.option(TFTPOption.windowSize) == "16")
        #expect(request.option("utimeout") == nil)
    }

    @Test func requestBytesSurviveParsingAndSerialisingUnchanged() throws {
        let requests = [
            "\0\u{1}pxelinux.0\0octet\0",
            "\0\u{1}pxelinux.cfg/default\0octet\0tsize\00\0blksize\01408\0",
            "\0\u{1}ltsp/ltsp.ipxe\0octet\0blksize\01432\0tsize\00\0multicast\0\0",
            "\0\u{2}logs/client.log\0netascii\0tsize\04096\0",
        ]
        for text in requests {
            #expect(try Wire.serialize(Wire.parse(text)) == Array(text.utf8))
        }
    }

    @Test func serialisedReadRequestHasTheExactBytes() {
        let request = TFTPRequest(filename: "pxelinux.0", options: [TFTPOption("tsize", "0"), TFTPOption("blksize", "1468")])
        #expect(Wire.serialize(.readRequest(request)) == Array("\0\u{1}pxelinux.0\0octet\0tsize\00\0blksize\01468\0".utf8))
        #expect(Wire.serialize(.writeRequest(TFTPRequest(filename: "a", mode: "netascii"))) == Array("\0\u{2}a\0netascii\0".utf8))
    }

    @Test func fileNameKeepsItsCaseAndPrintableEdges() throws {
        // Space (0x20) and tilde (0x7E) are the first and last printable ASCII bytes.
        let packet = try Wire.parse("\0\u{1}Boot/PXE Linux~1.0\0octet\0")
        #expect(packet == .readRequest(TFTPRequest(filename: "Boot/PXE Linux~1.0")))
    }

    // MARK: Case

    @Test func optionNamesAreLowercased() throws {
        // RFC 2347 §2: option names are case-insensitive.
        let packet = try Wire.parse("\0\u{1}pxelinux.0\0octet\0BLKSIZE\01468\0TSize\00\0WindowSize\08\0")
        guard case .readRequest(let request) = packet else {
            Issue.record("not a read request: \(packet)")
            return
        }
        #expect(request.options == [TFTPOption("blksize", "1468"), TFTPOption("tsize", "0"), TFTPOption("windowsize", "8")])
        #expect(request.option("blksize") == "1468")
    }

    @Test func optionValuesKeepTheirCase() throws {
        let packet = try Wire.parse("\0\u{1}pxelinux.0\0octet\0X-Vendor\0AbC\0")
        #expect(packet == .readRequest(TFTPRequest(filename: "pxelinux.0", options: [TFTPOption("x-vendor", "AbC")])))
    }

    @Test(arguments: [("OCTET", "octet"), ("Octet", "octet"), ("NetASCII", "netascii"), ("MAIL", "mail")])
    func modeIsLowercased(sent: String, kept: String) throws {
        // RFC 1350 §5: the mode may be in any combination of upper and lower case.
        let packet = try Wire.parse("\0\u{1}pxelinux.0\0\(sent)\0")
        #expect(packet == .readRequest(TFTPRequest(filename: "pxelinux.0", mode: kept)))
    }

    @Test func optionInitialiserLowercasesTheName() {
        #expect(TFTPOption("BLKSIZE", "512").name == "blksize")
        #expect(TFTPOption("BLKSIZE", "512") == TFTPOption("blksize", "512"))
    }

    // MARK: Padding

    @Test(arguments: [1, 2, 7])
    func trailingNulPaddingAfterOptionsIsIgnored(count: Int) throws {
        let bytes = Array("\0\u{1}pxelinux.0\0octet\0blksize\01468\0".utf8) + [UInt8](repeating: 0, count: count)
        let packet = try Wire.parse(bytes)
        #expect(packet == .readRequest(TFTPRequest(filename: "pxelinux.0", options: [TFTPOption("blksize", "1468")])))
    }

    @Test func trailingNulPaddingAfterTheModeIsIgnored() throws {
        let packet = try Wire.parse("\0\u{1}pxelinux.0\0octet\0\0\0\0")
        #expect(packet == .readRequest(TFTPRequest(filename: "pxelinux.0")))
        #expect(Wire.serialize(packet) == Array("\0\u{1}pxelinux.0\0octet\0".utf8))
    }

    // MARK: DATA

    @Test(arguments: [0, 1, 511, 512, 1432, 1468])
    func dataParsesWithItsPayload(count: Int) throws {
        let payload = Wire.payload(count)
        let packet = try Wire.parse([0, 3, 0x12, 0x34] + payload)
        #expect(packet == .data(block: 0x1234, payload: ByteBuffer(bytes: payload)))
        #expect(packet.opcode == .data)
    }

    @Test func emptyDataBlockParses() throws {
        // A file whose size is a multiple of the block size ends with an empty block.
        #expect(try Wire.parse([0, 3, 0xFF, 0xFF]) == .data(block: 65535, payload: ByteBuffer()))
    }

    @Test func serialisedDataHasTheExactBytes() {
        let payload = Wire.payload(512)
        #expect(Wire.serialize(.data(block: 1, payload: ByteBuffer(bytes: payload))) == [0, 3, 0, 1] + payload)
        #expect(Wire.serialize(.data(block: 0xABCD, payload: ByteBuffer())) == [0, 3, 0xAB, 0xCD])
    }

    @Test func dataPayloadSliceStartingMidBufferSerialises() {
        var buffer = ByteBuffer(bytes: [9, 9, 9, 1, 2, 3])
        buffer.moveReaderIndex(forwardBy: 3)
        #expect(Wire.serialize(.data(block: 2, payload: buffer)) == [0, 3, 0, 2, 1, 2, 3])
    }

    // MARK: ACK

    @Test func acknowledgementParses() throws {
        #expect(try Wire.parse([0, 4, 0, 7]) == .acknowledgement(block: 7))
        #expect(try Wire.parse([0, 4, 0, 0]) == .acknowledgement(block: 0))
        #expect(try Wire.parse([0, 4, 0xFF, 0xFF]) == .acknowledgement(block: 65535))
        #expect(try Wire.parse([0, 4, 0, 0]).opcode == .acknowledgement)
    }

    @Test(arguments: [[UInt8(0)], [0, 0], [0xDE, 0xAD, 0xBE, 0xEF], [UInt8](repeating: 0, count: 60)])
    func paddedAcknowledgementIgnoresItsTrailingBytes(padding: [UInt8]) throws {
        let packet = try Wire.parse([0, 4, 0x01, 0x02] + padding)
        #expect(packet == .acknowledgement(block: 0x0102))
        #expect(Wire.serialize(packet) == [0, 4, 0x01, 0x02])
    }

    // MARK: ERROR

    @Test func errorWithTrailingNulParses() throws {
        let packet = try Wire.parse("\0\u{5}\0\u{1}File not found\0")
        #expect(packet == .error(code: .fileNotFound, message: "File not found"))
        #expect(packet.opcode == .error)
    }

    @Test func errorWithoutTrailingNulParses() throws {
        #expect(try Wire.parse("\0\u{5}\0\u{1}File not found") == .error(code: .fileNotFound, message: "File not found"))
    }

    @Test func errorWithoutMessageParses() throws {
        #expect(try Wire.parse([0, 5, 0, 8]) == .error(code: .optionsRefused, message: ""))
        #expect(try Wire.parse([0, 5, 0, 8, 0]) == .error(code: .optionsRefused, message: ""))
    }

    @Test func errorMessageEndsAtItsFirstNul() throws {
        #expect(try Wire.parse("\0\u{5}\0\u{2}denied\0junk\0") == .error(code: .accessViolation, message: "denied"))
    }

    @Test func errorCodeOutsideTheRFCIsKept() throws {
        #expect(try Wire.parse("\0\u{5}\u{1}\u{2}odd\0") == .error(code: TFTPErrorCode(rawValue: 0x0102), message: "odd"))
    }

    @Test func errorMessageOfInvalidUTF8IsDecodedWithReplacementCharacters() throws {
        let packet = try Wire.parse([0, 5, 0, 0, 0x41, 0xFF, 0x42, 0])
        #expect(packet == .error(code: .undefined, message: "A\u{FFFD}B"))
        // Equal after a round trip, though the bytes are not those received.
        #expect(try Wire.parse(Wire.serialize(packet)) == packet)
    }

    @Test func serialisedErrorEndsWithANul() {
        #expect(Wire.serialize(.error(code: .fileNotFound, message: "File not found")) == Array("\0\u{5}\0\u{1}File not found\0".utf8))
        #expect(Wire.serialize(.error(code: .undefined, message: "")) == [0, 5, 0, 0, 0])
    }

    // MARK: OACK

    @Test func optionAcknowledgementParses() throws {
        let packet = try Wire.parse("\0\u{6}blksize\01432\0tsize\041943040\0")
        #expect(packet == .optionAcknowledgement([TFTPOption("blksize", "1432"), TFTPOption("tsize", "41943040")]))
        #expect(packet.opcode == .optionAcknowledgement)
    }

    @Test func serialisedOptionAcknowledgementHasTheExactBytes() {
        let packet = TFTPPacket.optionAcknowledgement([TFTPOption("tsize", "1234"), TFTPOption("blksize", "1468"), TFTPOption("windowsize", "16")])
        #expect(Wire.serialize(packet) == Array("\0\u{6}tsize\01234\0blksize\01468\0windowsize\016\0".utf8))
    }

    @Test func optionAcknowledgementWithoutOptionsIsJustTheOpcode() throws {
        #expect(Wire.serialize(.optionAcknowledgement([])) == [0, 6])
        #expect(try Wire.parse([0, 6]) == .optionAcknowledgement([]))
    }

    // MARK: Round trips

    static let samples: [TFTPPacket] = [
        .readRequest(TFTPRequest(filename: "pxelinux.0")),
        .readRequest(TFTPRequest(filename: "ltsp/amd64/vmlinuz", options: [
            TFTPOption("tsize", "0"), TFTPOption("blksize", "1468"), TFTPOption("timeout", "3"),
            TFTPOption("windowsize", "16"), TFTPOption("multicast", ""),
        ])),
        .readRequest(TFTPRequest(filename: "motd", mode: "mail")),
        .writeRequest(TFTPRequest(filename: "logs/client.log", mode: "netascii", options: [TFTPOption("tsize", "4096")])),
        .data(block: 1, payload: ByteBuffer(bytes: Wire.payload(512))),
        .data(block: 2, payload: ByteBuffer(bytes: Wire.payload(1468))),
        .data(block: 65535, payload: ByteBuffer()),
        .acknowledgement(block: 0),
        .acknowledgement(block: 65535),
        .error(code: .fileNotFound, message: "File not found"),
        .error(code: .optionsRefused, message: ""),
        .error(code: TFTPErrorCode(rawValue: 0xFFFF), message: "non-ASCII: é ✓"),
        .optionAcknowledgement([]),
        .optionAcknowledgement([TFTPOption("blksize", "1432"), TFTPOption("tsize", "41943040")]),
    ]

    @Test(arguments: TFTPPacketTests.samples)
    func serialisingThenParsingGivesAnEqualPacket(packet: TFTPPacket) throws {
        let bytes = Wire.serialize(packet)
        let parsed = try Wire.parse(bytes)
        #expect(parsed == packet)
        #expect(Wire.serialize(parsed) == bytes)
    }
}

@Suite("Malformed TFTP packets")
struct TFTPMalformedTests {
    // MARK: Too short, unknown opcode

    @Test func emptyPacketIsTruncated() {
        #expect(throws: TFTPParseError.truncated(length: 0)) { try Wire.parse([UInt8]()) }
    }

    @Test(arguments: [UInt8(0), 1, 4, 0xFF])
    func oneBytePacketIsTruncated(byte: UInt8) {
        #expect(throws: TFTPParseError.truncated(length: 1)) { try Wire.parse([byte]) }
    }

    @Test(arguments: [UInt16(0), 7, 0x0100, 0xFFFF])
    func unknownOpcodeIsRejected(opcode: UInt16) {
        let bytes = [UInt8(opcode >> 8), UInt8(opcode & 0xFF)] + Array("pxelinux.0\0octet\0".utf8)
        #expect(throws: TFTPParseError.unknownOpcode(opcode)) { try Wire.parse(bytes) }
        #expect(throws: TFTPParseError.unknownOpcode(opcode)) { try Wire.parse(Array(bytes.prefix(2))) }
    }

    @Test func dataShorterThanItsBlockNumberIsTruncated() {
        #expect(throws: TFTPParseError.truncated(length: 2)) { try Wire.parse([0, 3]) }
        #expect(throws: TFTPParseError.truncated(length: 3)) { try Wire.parse([0, 3, 0]) }
    }

    @Test func acknowledgementShorterThanItsBlockNumberIsTruncated() {
        #expect(throws: TFTPParseError.truncated(length: 2)) { try Wire.parse([0, 4]) }
        #expect(throws: TFTPParseError.truncated(length: 3)) { try Wire.parse([0, 4, 1]) }
    }

    @Test func errorShorterThanItsCodeIsTruncated() {
        #expect(throws: TFTPParseError.truncated(length: 2)) { try Wire.parse([0, 5]) }
        #expect(throws: TFTPParseError.truncated(length: 3)) { try Wire.parse([0, 5, 0]) }
    }

    // MARK: Request strings

    @Test func requestWithOnlyAnOpcodeHasAnUnterminatedFileName() {
        #expect(throws: TFTPParseError.unterminatedString(field: "file name")) { try Wire.parse([0, 1]) }
        #expect(throws: TFTPParseError.unterminatedString(field: "file name")) { try Wire.parse([0, 2]) }
    }

    @Test func fileNameWithoutNulIsUnterminated() {
        #expect(throws: TFTPParseError.unterminatedString(field: "file name")) { try Wire.parse("\0\u{1}pxelinux.0") }
    }

    @Test func emptyFileNameIsInvalid() {
        #expect(throws: TFTPParseError.invalidFilename("")) { try Wire.parse("\0\u{1}\0octet\0") }
        #expect(throws: TFTPParseError.invalidFilename("")) { try Wire.parse("\0\u{2}\0octet\0") }
    }

    @Test func missingModeIsUnterminated() {
        #expect(throws: TFTPParseError.unterminatedString(field: "mode")) { try Wire.parse("\0\u{1}pxelinux.0\0") }
    }

    @Test func modeWithoutNulIsUnterminated() {
        #expect(throws: TFTPParseError.unterminatedString(field: "mode")) { try Wire.parse("\0\u{1}pxelinux.0\0octet") }
    }

    @Test(arguments: [("binary", "binary"), ("BINARY", "binary"), ("", ""), ("octets", "octets"), ("image", "image")])
    func unknownModeIsRejected(sent: String, reported: String) {
        #expect(throws: TFTPParseError.invalidMode(reported)) { try Wire.parse("\0\u{1}pxelinux.0\0\(sent)\0") }
    }

    // MARK: Options

    @Test func optionNameWithoutValueIsRejected() {
        #expect(throws: TFTPParseError.optionWithoutValue("blksize")) {
            try Wire.parse("\0\u{1}pxelinux.0\0octet\0blksize\0")
        }
        #expect(throws: TFTPParseError.optionWithoutValue("tsize")) {
            try Wire.parse("\0\u{1}pxelinux.0\0octet\0blksize\01468\0TSIZE\0")
        }
    }

    @Test func optionNameWithoutNulIsUnterminated() {
        #expect(throws: TFTPParseError.unterminatedString(field: "option name")) {
            try Wire.parse("\0\u{1}pxelinux.0\0octet\0blksize")
        }
    }

    @Test func optionValueWithoutNulIsUnterminated() {
        #expect(throws: TFTPParseError.unterminatedString(field: "value of option blksize")) {
            try Wire.parse("\0\u{1}pxelinux.0\0octet\0BLKSIZE\01468")
        }
    }

    @Test func repeatedOptionIsRejected() {
        #expect(throws: TFTPParseError.repeatedOption("blksize")) {
            try Wire.parse("\0\u{1}pxelinux.0\0octet\0blksize\0512\0blksize\01468\0")
        }
    }

    @Test func optionRepeatedInAnotherCaseIsRejected() {
        #expect(throws: TFTPParseError.repeatedOption("blksize")) {
            try Wire.parse("\0\u{1}pxelinux.0\0octet\0blksize\0512\0tsize\00\0BLKSIZE\01468\0")
        }
    }

    @Test func repeatedOptionInAnOptionAcknowledgementIsRejected() {
        #expect(throws: TFTPParseError.repeatedOption("tsize")) { try Wire.parse("\0\u{6}tsize\01\0TSize\02\0") }
    }

    @Test func optionAcknowledgementWithAnOptionWithoutValueIsRejected() {
        #expect(throws: TFTPParseError.optionWithoutValue("blksize")) { try Wire.parse("\0\u{6}blksize\0") }
    }

    // MARK: Length

    @Test func requestOf512BytesIsAccepted() throws {
        let name = String(repeating: "a", count: 503)
        let bytes = Array("\0\u{1}\(name)\0octet\0".utf8)
        #expect(bytes.count == 512)
        #expect(try Wire.parse(bytes) == .readRequest(TFTPRequest(filename: name)))
    }

    @Test func requestLongerThan512BytesIsRejected() {
        let name = String(repeating: "a", count: 504)
        #expect(throws: TFTPParseError.requestTooLong(length: 513)) { try Wire.parse("\0\u{1}\(name)\0octet\0") }
        #expect(throws: TFTPParseError.requestTooLong(length: 513)) { try Wire.parse("\0\u{2}\(name)\0octet\0") }
    }

    @Test func requestOf512BytesPaddedWithANulIsTooLong() {
        let name = String(repeating: "a", count: 503)
        #expect(throws: TFTPParseError.requestTooLong(length: 513)) { try Wire.parse("\0\u{1}\(name)\0octet\0\0") }
    }

    @Test func lengthIsCheckedBeforeTheContent() {
        let bytes: [UInt8] = [0, 1] + [UInt8](repeating: 0xFF, count: 600)
        #expect(throws: TFTPParseError.requestTooLong(length: 602)) { try Wire.parse(bytes) }
    }

    @Test func dataLongerThan512BytesIsNotARequestAndIsAccepted() throws {
        let packet = try Wire.parse([0, 3, 0, 1] + Wire.payload(1468))
        #expect(packet == .data(block: 1, payload: ByteBuffer(bytes: Wire.payload(1468))))
    }

    // MARK: Characters

    @Test(arguments: [UInt8(0x01), 0x09, 0x0A, 0x1F, 0x7F, 0x80, 0xC3, 0xFF])
    func nonPrintableByteInTheFileNameIsRejected(byte: UInt8) {
        let bytes = Array("\0\u{1}pxe".utf8) + [byte] + Array("linux.0\0octet\0".utf8)
        #expect(throws: TFTPParseError.invalidCharacters(field: "file name")) { try Wire.parse(bytes) }
    }

    @Test func utf8FileNameIsRejected() {
        #expect(throws: TFTPParseError.invalidCharacters(field: "file name")) { try Wire.parse("\0\u{1}café\0octet\0") }
    }

    @Test(arguments: [UInt8(0x01), 0xFF])
    func nonPrintableByteInTheModeIsRejected(byte: UInt8) {
        let bytes = Array("\0\u{1}pxelinux.0\0oct".utf8) + [byte] + Array("et\0".utf8)
        #expect(throws: TFTPParseError.invalidCharacters(field: "mode")) { try Wire.parse(bytes) }
    }

    @Test(arguments: [UInt8(0x01), 0xFF])
    func nonPrintableByteInAnOptionNameIsRejected(byte: UInt8) {
        let bytes = Array("\0\u{1}pxelinux.0\0octet\0blk".utf8) + [byte] + Array("size\0512\0".utf8)
        #expect(throws: TFTPParseError.invalidCharacters(field: "option name")) { try Wire.parse(bytes) }
    }

    @Test(arguments: [UInt8(0x01), 0xFF])
    func nonPrintableByteInAnOptionValueIsRejected(byte: UInt8) {
        let bytes = Array("\0\u{1}pxelinux.0\0octet\0BLKSIZE\0".utf8) + [byte] + Array("512\0".utf8)
        #expect(throws: TFTPParseError.invalidCharacters(field: "value of option blksize")) { try Wire.parse(bytes) }
    }

    // MARK: Error kinds

    @Test func everyParseErrorHasADistinctKindAndADescription() {
        let all: [TFTPParseError] = [
            .truncated(length: 1), .unknownOpcode(7), .unterminatedString(field: "mode"), .invalidFilename(""),
            .invalidMode("binary"), .optionWithoutValue("blksize"), .repeatedOption("blksize"),
            .requestTooLong(length: 513), .invalidCharacters(field: "file name"),
        ]
        for error in all {
            // Exhaustive on purpose: a new case stops this from compiling until it is added to `all`.
            switch error {
            case .truncated, .unknownOpcode, .unterminatedString, .invalidFilename, .invalidMode,
                 .optionWithoutValue, .repeatedOption, .requestTooLong, .invalidCharacters:
                break
            }
            #expect(!error.description.isEmpty)
            // A metric label: lowercase words joined by hyphens.
            let isLabel = !error.kind.isEmpty && error.kind.allSatisfy { ($0.isASCII && $0.isLowercase) || $0 == "-" }
            #expect(isLabel, "\(error.kind)")
        }
        #expect(Set(all.map(\.kind)).count == all.count)
    }
}
