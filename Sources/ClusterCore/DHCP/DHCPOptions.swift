import NIOCore

/// One option as it travels: a code and its value after RFC 3396 concatenation, of any length.
public struct DHCPOption: Hashable, Sendable {
    public var code: DHCPOptionCode
    public var value: [UInt8]

    public init(code: DHCPOptionCode, value: [UInt8]) {
        self.code = code
        self.value = value
    }
}

/// The options of a message, in the order each code first appeared, one entry per code.
///
/// A code that appears more than once on the wire, in one field or across the options field,
/// `file` and `sname`, is one option whose value is the concatenation (RFC 3396 §5). Pad (0)
/// and end (255) are framing and never stored; overload (52) is consumed by the message parser
/// and written by the serialiser when it needs it (see `DHCPMessage`).
public struct DHCPOptions: RandomAccessCollection, Hashable, Sendable, ExpressibleByArrayLiteral {
    private var storage: [DHCPOption] = []

    public init() {}
    public init(arrayLiteral elements: DHCPOption...) {
        for option in elements { append(option.code, option.value) }
    }

    /// Equal when they hold the same values under the same codes: the order options arrive in
    /// is presentation (RFC 2131 §4.1 fixes none), and the serialiser chooses its own.
    public static func == (lhs: DHCPOptions, rhs: DHCPOptions) -> Bool {
        lhs.storage.count == rhs.storage.count && lhs.storage.allSatisfy { rhs[$0.code] == $0.value }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(storage.sorted { $0.code < $1.code })
    }

    public var startIndex: Int { storage.startIndex }
    public var endIndex: Int { storage.endIndex }
    public subscript(position: Int) -> DHCPOption { storage[position] }

    /// The value of `code`, `nil` when absent. Setting replaces the value in place (keeping the
    /// option's position) or appends; setting `nil` removes it.
    public subscript(code: DHCPOptionCode) -> [UInt8]? {
        get { storage.first { $0.code == code }?.value }
        set {
            guard let index = storage.firstIndex(where: { $0.code == code }) else {
                if let newValue { storage.append(DHCPOption(code: code, value: newValue)) }
                return
            }
            if let newValue { storage[index].value = newValue } else { storage.remove(at: index) }
        }
    }

    /// Adds `value` to `code`, concatenating onto an earlier value as RFC 3396 §5 says.
    public mutating func append(_ code: DHCPOptionCode, _ value: [UInt8]) {
        if let index = storage.firstIndex(where: { $0.code == code }) {
            storage[index].value += value
        } else {
            storage.append(DHCPOption(code: code, value: value))
        }
    }

    /// Reads the options of one field up to its end option, appending to `self`.
    ///
    /// Pad bytes are skipped; after end the rest of the field is padding and ignored. A field
    /// that stops at an option boundary without an end option is accepted: some relays and
    /// embedded clients trim the trailing 255, and nothing is lost. A length byte missing, or a
    /// length running past the field, is an error: the option's value would be a guess.
    mutating func parse(field buffer: inout ByteBuffer, name field: DHCPOptionField) throws(DHCPParseError) {
        while let code = buffer.readInteger(as: UInt8.self) {
            if code == DHCPOptionCode.pad.rawValue { continue }
            if code == DHCPOptionCode.end.rawValue {
                buffer.moveReaderIndex(forwardBy: buffer.readableBytes)
                return
            }
            guard let length = buffer.readInteger(as: UInt8.self) else {
                throw .missingOptionLength(code: code, field: field)
            }
            guard let value = buffer.readBytes(length: Int(length)) else {
                throw .optionOverrunsField(code: code, length: Int(length), available: buffer.readableBytes, field: field)
            }
            append(DHCPOptionCode(code), value)
        }
    }

    /// The options in the order they are written: message type first (some clients and relays
    /// look only there), relay agent information last (RFC 3046 §2.1), the rest as stored.
    /// Framing codes (0, 52, 255) are left out: the serialiser owns them.
    var wireOrder: [DHCPOption] {
        let framing: Set<DHCPOptionCode> = [.pad, .end, .overload]
        let body = storage.filter { !framing.contains($0.code) }
        return body.filter { $0.code == .messageType }
            + body.filter { $0.code != .messageType && $0.code != .relayAgentInformation }
            + body.filter { $0.code == .relayAgentInformation }
    }

    /// The bytes `option` takes when written whole: a code and length per 255-byte piece
    /// (RFC 3396 §5), and two bytes for an empty value.
    static func encodedSize(of option: DHCPOption) -> Int {
        let pieces = Swift.max(1, (option.value.count + 254) / 255)
        return option.value.count + 2 * pieces
    }
}
