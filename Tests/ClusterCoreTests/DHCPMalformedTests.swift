import Testing

@testable import ClusterCore

/// Every way a packet can be wrong; each is rejected with its own reason, none crashes.
@Suite("Malformed DHCP packets")
struct DHCPMalformedTests {
    typealias Packet = DHCPTestPacket

    @Test func emptyBufferIsATruncatedHeader() {
        #expect(throws: DHCPParseError.truncatedHeader(length: 0)) { try Packet.parse([]) }
    }

    @Test func headerWithoutFullCookieIsTruncated() {
        let bytes = Array(Packet.bytes(options: []).prefix(239))
        #expect(throws: DHCPParseError.truncatedHeader(length: 239)) { try Packet.parse(bytes) }
    }

    @Test func badMagicCookieIsRejected() {
        #expect(throws: DHCPParseError.badMagicCookie(0x6382_5362)) {
            try Packet.parse(Packet.bytes(cookie: [99, 130, 83, 98], options: [53, 1, 1, 255]))
        }
    }

    @Test func hardwareAddressLength17IsRejected() {
        #expect(throws: DHCPParseError.hardwareAddressTooLong(hlen: 17)) {
            try Packet.parse(Packet.bytes(hlen: 17, options: [53, 1, 1, 255]))
        }
    }

    @Test func optionLengthPastTheEndIsRejected() {
        #expect(throws: DHCPParseError.optionOverrunsField(code: 12, length: 10, available: 3, field: .options)) {
            try Packet.parse(Packet.bytes(options: [53, 1, 1, 12, 10, 0x61, 0x62, 0x63]))
        }
    }

    @Test func optionCodeWithoutLengthAtTheEndIsRejected() {
        #expect(throws: DHCPParseError.missingOptionLength(code: 12, field: .options)) {
            try Packet.parse(Packet.bytes(options: [53, 1, 1, 12]))
        }
    }

    @Test func missingEndOptionIsToleratedAtAnOptionBoundary() throws {
        let message = try Packet.parse(Packet.bytes(options: [53, 1, 3, 50, 4, 10, 0, 0, 5]))
        #expect(message.options.messageType == .request)
        #expect(message.options.requestedIPAddress == IPv4Address(10, 0, 0, 5))
    }

    @Test func bytesAfterTheEndOptionAreIgnoredAsPadding() throws {
        let message = try Packet.parse(Packet.bytes(options: [53, 1, 1, 255, 12, 200, 1]))
        #expect(message.options.count == 1)
    }

    @Test func zeroLengthOptionIsKeptEmpty() throws {
        let message = try Packet.parse(Packet.bytes(options: [53, 1, 1, 80, 0, 255]))
        #expect(message.options[DHCPOptionCode(80)] == [])
        #expect(try Packet.parse(Packet.serialize(message)) == message)
    }

    @Test func zeroLengthTypedOptionReadsAsAbsent() throws {
        let message = try Packet.parse(Packet.bytes(options: [53, 1, 1, 54, 0, 12, 0, 255]))
        #expect(message.options.serverIdentifier == nil)
        #expect(message.options.hostName == "")
    }

    @Test func option255BytesLongIsAccepted() throws {
        let value = [UInt8](repeating: 0x41, count: 255)
        let message = try Packet.parse(Packet.bytes(options: [53, 1, 1, 43, 255] + value + [255]))
        #expect(message.options[DHCPOptionCode(43)] == value)
    }

    @Test func hugeParameterRequestListSplitAcrossOptionsIsConcatenated() throws {
        let first = (1...255).map { UInt8($0) }, second = [UInt8](repeating: 7, count: 200)
        let message = try Packet.parse(Packet.bytes(options: [53, 1, 1, 55, 255] + first + [55, 200] + second + [255]))
        #expect(message.options.parameterRequestList?.count == 455)
        #expect(message.options[.parameterRequestList] == first + second)
        #expect(try Packet.parse(Packet.serialize(message)) == message)
    }

    @Test func duplicateMessageTypeConcatenatesToAnInvalidLength() {
        #expect(throws: DHCPParseError.invalidOptionLength(code: 53, length: 2)) {
            try Packet.parse(Packet.bytes(options: [53, 1, 1, 53, 1, 3, 255]))
        }
    }

    @Test(arguments: [UInt8(0), 4, 255])
    func overloadValueOutsideOneToThreeIsRejected(value: UInt8) {
        #expect(throws: DHCPParseError.invalidOverload(value)) {
            try Packet.parse(Packet.bytes(options: [53, 1, 1, 52, 1, value, 255]))
        }
    }

    @Test func overloadOfWrongLengthIsRejected() {
        #expect(throws: DHCPParseError.invalidOptionLength(code: 52, length: 2)) {
            try Packet.parse(Packet.bytes(options: [53, 1, 1, 52, 2, 1, 1, 255]))
        }
    }

    @Test func overloadPointingToAFileNameIsGarbage() {
        // A long path read as options: "xx" is option 120 of 120 bytes, and the second one, at
        // offset 122, claims 120 bytes where 4 remain in the 128-byte field.
        let path = Array(String(repeating: "x", count: 126).utf8)
        #expect(throws: DHCPParseError.optionOverrunsField(code: 0x78, length: 120, available: 4, field: .file)) {
            try Packet.parse(Packet.bytes(file: path, options: [53, 1, 1, 52, 1, 1, 255]))
        }
    }

    @Test func overloadPointingToAServerNameIsGarbage() {
        #expect(throws: DHCPParseError.missingOptionLength(code: 0x41, field: .sname)) {
            try Packet.parse(Packet.bytes(sname: [UInt8](repeating: 0, count: 63) + [0x41], options: [53, 1, 1, 52, 1, 2, 255]))
        }
    }
}
