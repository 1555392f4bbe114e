import NIOCore

/// A TFTP packet (RFC 1350 §5) with the option extension (RFC 2347): the request types carry
/// their options, and OACK acknowledges those the server accepts.
public enum TFTPPacket: Hashable, Sendable {
    /// RRQ (1) and WRQ (2): a file name, a mode and options in the order sent. Option names are
    /// kept lowercased (RFC 2347 §2: they are case-insensitive); values as sent.
    case readRequest(TFTPRequest)
    case writeRequest(TFTPRequest)
    /// DATA (3): a block number and up to blksize bytes; a shorter block ends the transfer.
    case data(block: UInt16, payload: ByteBuffer)
    /// ACK (4).
    case acknowledgement(block: UInt16)
    /// ERROR (5): a code and a message.
    case error(code: TFTPErrorCode, message: String)
    /// OACK (6): the options the server accepted, with the values it will use.
    case optionAcknowledgement([TFTPOption])

    public enum Opcode: UInt16, Sendable {
        case readRequest = 1, writeRequest, data, acknowledgement, error, optionAcknowledgement
    }

    /// RFC 2347 §2: a request with its options must fit in 512 bytes.
    public static let maximumRequestSize = 512

    public var opcode: Opcode {
        switch self {
        case .readRequest: .readRequest
        case .writeRequest: .writeRequest
        case .data: .data
        case .acknowledgement: .acknowledgement
        case .error: .error
        case .optionAcknowledgement: .optionAcknowledgement
        }
    }

    /// Reads one packet from the whole of `buffer` (a UDP payload).
    public init(parsing buffer: inout ByteBuffer) throws(TFTPParseError) {
        let length = buffer.readableBytes
        guard let raw = buffer.readInteger(as: UInt16.self) else { throw .truncated(length: length) }
        guard let opcode = Opcode(rawValue: raw) else { throw .unknownOpcode(raw) }
        switch opcode {
        case .readRequest, .writeRequest:
            guard length <= Self.maximumRequestSize else { throw .requestTooLong(length: length) }
            let request = try TFTPRequest(parsing: &buffer)
            self = opcode == .readRequest ? .readRequest(request) : .writeRequest(request)
        case .data:
            guard let block = buffer.readInteger(as: UInt16.self) else { throw .truncated(length: length) }
            self = .data(block: block, payload: buffer.readSlice(length: buffer.readableBytes) ?? ByteBuffer())
        case .acknowledgement:
            // Extra bytes after the block number are ignored, as every TFTP server does: some
            // firmware pads its ACKs.
            guard let block = buffer.readInteger(as: UInt16.self) else { throw .truncated(length: length) }
            buffer.moveReaderIndex(forwardBy: buffer.readableBytes)
            self = .acknowledgement(block: block)
        case .error:
            guard let code = buffer.readInteger(as: UInt16.self) else { throw .truncated(length: length) }
            // A missing NUL after the message is tolerated: the message is only ever logged.
            let bytes = buffer.readBytes(length: buffer.readableBytes) ?? []
            let text = bytes.prefix { $0 != 0 }
            self = .error(code: TFTPErrorCode(rawValue: code), message: String(decoding: text, as: UTF8.self))
        case .optionAcknowledgement:
            self = .optionAcknowledgement(try TFTPOption.parseList(&buffer))
        }
    }

    /// Appends the packet to `buffer`.
    public func serialize(into buffer: inout ByteBuffer) {
        buffer.writeInteger(opcode.rawValue)
        switch self {
        case .readRequest(let request), .writeRequest(let request):
            request.serialize(into: &buffer)
        case .data(let block, let payload):
            buffer.writeInteger(block)
            buffer.writeImmutableBuffer(payload)
        case .acknowledgement(let block):
            buffer.writeInteger(block)
        case .error(let code, let message):
            buffer.writeInteger(code.rawValue)
            buffer.writeString(message)
            buffer.writeInteger(UInt8(0))
        case .optionAcknowledgement(let options):
            for option in options { option.serialize(into: &buffer) }
        }
    }
}

/// RRQ and WRQ's fields.
public struct TFTPRequest: Hashable, Sendable {
    /// The file name as sent: normalising and confining it is the server's job, which must see
    /// exactly what the client asked for.
    public var filename: String
    /// `netascii`, `octet` or `mail`, lowercased.
    public var mode: String
    public var options: [TFTPOption]

    public init(filename: String, mode: String = "octet", options: [TFTPOption] = []) {
        self.filename = filename
        self.mode = mode
        self.options = options
    }

    public static let modes: Set<String> = ["netascii", "octet", "mail"]

    public func option(_ name: String) -> String? {
        let name = name.lowercased()
        return options.first { $0.name == name }?.value
    }

    init(parsing buffer: inout ByteBuffer) throws(TFTPParseError) {
        let filename = try TFTPOption.readString(&buffer, field: "file name")
        guard !filename.isEmpty else { throw .invalidFilename(filename) }
        let mode = try TFTPOption.readString(&buffer, field: "mode").lowercased()
        guard Self.modes.contains(mode) else { throw .invalidMode(mode) }
        self.init(filename: filename, mode: mode, options: try TFTPOption.parseList(&buffer))
    }

    func serialize(into buffer: inout ByteBuffer) {
        buffer.writeString(filename)
        buffer.writeInteger(UInt8(0))
        buffer.writeString(mode)
        buffer.writeInteger(UInt8(0))
        for option in options { option.serialize(into: &buffer) }
    }
}

/// One option: a lowercased name and its value, both printable ASCII.
public struct TFTPOption: Hashable, Sendable {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) {
        self.name = name.lowercased()
        self.value = value
    }

    public static let blockSize = "blksize"
    public static let timeout = "timeout"
    public static let transferSize = "tsize"
    public static let windowSize = "windowsize"

    /// Name/value pairs to the end of the packet. Some clients end the packet with stray NULs:
    /// an empty name at the very end is padding, not an option.
    static func parseList(_ buffer: inout ByteBuffer) throws(TFTPParseError) -> [TFTPOption] {
        var options: [TFTPOption] = []
        while buffer.readableBytes > 0 {
            let name = try readString(&buffer, field: "option name").lowercased()
            if name.isEmpty, buffer.readableBytesView.allSatisfy({ $0 == 0 }) {
                buffer.moveReaderIndex(forwardBy: buffer.readableBytes)
                break
            }
            guard buffer.readableBytes > 0 else { throw .optionWithoutValue(name) }
            let value = try readString(&buffer, field: "value of option \(name.prefix(32))")
            guard !options.contains(where: { $0.name == name }) else { throw .repeatedOption(name) }
            options.append(TFTPOption(name, value))
        }
        return options
    }

    static func readString(_ buffer: inout ByteBuffer, field: String) throws(TFTPParseError) -> String {
        guard let end = buffer.readableBytesView.firstIndex(of: 0) else { throw .unterminatedString(field: field) }
        let count = end - buffer.readableBytesView.startIndex
        let bytes = buffer.readBytes(length: count) ?? []
        buffer.moveReaderIndex(forwardBy: 1)
        guard bytes.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else { throw .invalidCharacters(field: field) }
        return String(decoding: bytes, as: UTF8.self)
    }

    func serialize(into buffer: inout ByteBuffer) {
        buffer.writeString(name)
        buffer.writeInteger(UInt8(0))
        buffer.writeString(value)
        buffer.writeInteger(UInt8(0))
    }
}
