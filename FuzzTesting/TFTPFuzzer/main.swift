import ClusterCore
import NIOCore

// libFuzzer entry point over the TFTP packet parser and option negotiation (scripts/fuzz-tftp).
// Built without -sanitize=fuzzer this file is an executable that does nothing, so `swift build`
// still links it.
//
// Any input must either be rejected with a TFTPParseError, or be read whole into a packet that
// serialises and parses back to an equal packet, whose bytes then serialise identically.
// Equality holds for ERROR packets too: the parser keeps the message up to its first NUL and
// decodes it as lossy UTF-8, so a parsed message has no NUL and its UTF-8 decodes to the same
// string. Only the bytes differ from the input there (a missing NUL, bytes after the NUL, invalid
// UTF-8 replaced by U+FFFD), so they are compared to the input only where they must match.
// A parsed read request is then negotiated under several limits, whose bounds must hold.
// The hand-read classification of transfer-port datagrams (TFTPTransferDatagram) must agree
// with the parser on every input of 4 bytes or more, and call anything shorter malformed.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let raw = UnsafeRawBufferPointer(start: start, count: count)
    let input = ByteBuffer(bytes: raw)
    var buffer = input
    let datagram = TFTPTransferDatagram(parsing: raw)
    let packet: TFTPPacket
    do throws(TFTPParseError) {
        packet = try TFTPPacket(parsing: &buffer)
    } catch {
        precondition(!error.kind.isEmpty && !error.description.isEmpty, "error without a kind or description")
        precondition(datagram == .malformed, "transfer datagram \(datagram) the parser refuses: \(error)")
        return 0
    }
    switch packet {
    case _ where count < 4: precondition(datagram == .malformed, "transfer datagram of \(count) bytes read as \(datagram)")
    case .acknowledgement(let block): precondition(datagram == .acknowledgement(block), "ACK \(block) read as \(datagram)")
    case .error(let code, _): precondition(datagram == .error(code), "ERROR \(code) read as \(datagram)")
    default: precondition(datagram == .unexpected, "\(packet) read as \(datagram)")
    }
    precondition(buffer.readableBytes == 0, "\(buffer.readableBytes) bytes left unread after \(packet)")
    let bytes = Array(input.readableBytesView)
    let written = checkRoundTrip(packet)
    switch packet {
    case .readRequest(let request):
        checkRequest(request, bytes: bytes, written: written)
        let limits = [
            TFTPNegotiation.Limits(),
            TFTPNegotiation.Limits(maximumBlockSize: 8, maximumWindowSize: 1),
            TFTPNegotiation.Limits(maximumBlockSize: 512, maximumWindowSize: 4),
            TFTPNegotiation.Limits(maximumBlockSize: 65_464, maximumWindowSize: 65_535),
            // Out of range on purpose: Limits clamps them.
            TFTPNegotiation.Limits(maximumBlockSize: count &* 131 &- 1_000, maximumWindowSize: count &- 8),
        ]
        for limit in limits {
            for fileSize in [0, count, 41_943_040] {
                checkNegotiation(request, fileSize: fileSize, limits: limit)
            }
        }
    case .writeRequest(let request):
        checkRequest(request, bytes: bytes, written: written)
    case .data(_, let payload):
        precondition(written == bytes, "DATA does not serialise to the bytes received")
        precondition(payload.readableBytes == count - 4)
    case .acknowledgement:
        precondition(written == Array(bytes.prefix(4)), "ACK does not serialise to its first 4 bytes")
    case .error(let code, let message):
        precondition(code.rawValue == UInt16(bytes[2]) << 8 | UInt16(bytes[3]))
        precondition(!message.utf8.contains(0), "ERROR message with a NUL")
        precondition(written.last == 0, "ERROR without its final NUL")
        let received = bytes.dropFirst(4).prefix { $0 != 0 }
        precondition(message.utf8.elementsEqual(received) || message.unicodeScalars.contains("\u{FFFD}"),
                     "ERROR message changed other than by replacing invalid UTF-8")
    case .optionAcknowledgement(let options):
        checkOptions(options)
        checkStrings(bytes: bytes, written: written)
    }
    return 0
}

/// Serialises `packet`, parses it back, and checks that the result is equal and serialises to
/// the same bytes. Returns those bytes.
private func checkRoundTrip(_ packet: TFTPPacket) -> [UInt8] {
    var buffer = ByteBuffer()
    packet.serialize(into: &buffer)
    let written = Array(buffer.readableBytesView)
    guard let reparsed = try? TFTPPacket(parsing: &buffer), reparsed == packet else {
        fatalError("TFTP packet does not survive a round trip: \(packet)")
    }
    precondition(buffer.readableBytes == 0, "bytes left unread after parsing a serialised \(packet)")
    var again = ByteBuffer()
    reparsed.serialize(into: &again)
    precondition(Array(again.readableBytesView) == written, "TFTP packet serialises differently after a round trip: \(packet)")
    return written
}

private func isPrintable(_ text: String) -> Bool {
    text.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
}

private func checkRequest(_ request: TFTPRequest, bytes: [UInt8], written: [UInt8]) {
    precondition(bytes.count <= TFTPPacket.maximumRequestSize, "request of \(bytes.count) bytes accepted")
    precondition(!request.filename.isEmpty && isPrintable(request.filename), "file name \(request.filename)")
    precondition(TFTPRequest.modes.contains(request.mode), "mode \(request.mode)")
    // The file name is kept exactly as sent, right after the opcode.
    precondition(bytes.dropFirst(2).prefix(request.filename.utf8.count).elementsEqual(request.filename.utf8))
    checkOptions(request.options)
    checkStrings(bytes: bytes, written: written)
}

private func checkOptions(_ options: [TFTPOption]) {
    var names: Set<String> = []
    for option in options {
        precondition(option.name == option.name.lowercased(), "option name \(option.name) not lowercased")
        precondition(isPrintable(option.name) && isPrintable(option.value), "option \(option) not printable ASCII")
        precondition(names.insert(option.name).inserted, "option \(option.name) twice")
    }
}

/// Requests and OACKs serialise to the bytes received, but for the case of the mode and option
/// names and any trailing NUL padding, which is dropped.
private func checkStrings(bytes: [UInt8], written: [UInt8]) {
    precondition(written.count <= bytes.count, "serialised packet longer than received")
    let lower = { (byte: UInt8) in (0x41...0x5A).contains(byte) ? byte | 0x20 : byte }
    precondition(bytes.prefix(written.count).map(lower) == written.map(lower), "serialised packet differs from the one received")
    precondition(bytes.dropFirst(written.count).allSatisfy { $0 == 0 }, "bytes other than NUL padding dropped")
}

/// What the server answers a read request with: the block size and window within the limits,
/// each acknowledged option one the client sent, in its order, with the value used.
private func checkNegotiation(_ request: TFTPRequest, fileSize: Int, limits: TFTPNegotiation.Limits) {
    precondition((8...65_464).contains(limits.maximumBlockSize), "limits not clamped: \(limits)")
    precondition((1...65_535).contains(limits.maximumWindowSize), "limits not clamped: \(limits)")
    let negotiation = TFTPNegotiation(request: request, fileSize: fileSize, limits: limits)
    let acknowledged = negotiation.acknowledged
    precondition(acknowledged.count <= request.options.count, "more options acknowledged than asked")

    // In the client's order: a subsequence of the request's option names.
    let known = [TFTPOption.blockSize, TFTPOption.timeout, TFTPOption.transferSize, TFTPOption.windowSize]
    var rest = request.options[...]
    for option in acknowledged {
        guard let index = rest.firstIndex(where: { $0.name == option.name }) else {
            fatalError("option \(option.name) acknowledged out of order or never asked: \(request.options)")
        }
        rest = rest[(index + 1)...]
        precondition(known.contains(option.name), "unknown option \(option.name) acknowledged")
        precondition(Int(option.value).map { String($0) } == option.value, "acknowledged value \(option.value) not plain decimal")
    }

    func value(_ name: String) -> Int? {
        acknowledged.first(where: { $0.name == name }).flatMap { Int($0.value) }
    }
    if let size = value(TFTPOption.blockSize) {
        precondition(size == negotiation.blockSize && (8...limits.maximumBlockSize).contains(size), "block size \(size) under \(limits)")
        precondition(size <= Int(request.option(TFTPOption.blockSize) ?? "") ?? 0, "block size larger than asked")
    } else {
        // RFC 1350's default, whatever the limit, for a client that did not ask for another.
        precondition(negotiation.blockSize == 512, "block size \(negotiation.blockSize) without the option")
    }
    if let window = value(TFTPOption.windowSize) {
        precondition(window == negotiation.windowSize, "window \(window) acknowledged, \(negotiation.windowSize) used")
        precondition(window <= Int(request.option(TFTPOption.windowSize) ?? "") ?? 0, "window larger than asked")
    } else {
        precondition(negotiation.windowSize == 1, "window \(negotiation.windowSize) without the option")
    }
    precondition((1...limits.maximumWindowSize).contains(negotiation.windowSize), "window \(negotiation.windowSize) under \(limits)")
    precondition(value(TFTPOption.timeout) == negotiation.timeoutSeconds, "timeout acknowledged differs from the one used")
    if let seconds = negotiation.timeoutSeconds { precondition((1...255).contains(seconds), "timeout \(seconds)") }
    if let size = acknowledged.first(where: { $0.name == TFTPOption.transferSize }) {
        precondition(size.value == String(fileSize), "tsize \(size.value) for a file of \(fileSize) bytes")
    }

    // The OACK the server sends must itself parse back to the same options.
    _ = checkRoundTrip(.optionAcknowledgement(acknowledged))
}
