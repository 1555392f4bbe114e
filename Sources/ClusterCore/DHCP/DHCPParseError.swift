/// Why a datagram is not a DHCPv4 message this server can read. The server drops the packet,
/// counts the case and logs `description` at most once per interval.
public enum DHCPParseError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Fewer than the 236 fixed BOOTP bytes plus the 4-byte magic cookie (RFC 2131 §2, §3).
    case truncatedHeader(length: Int)
    /// `hlen` is larger than the 16 bytes of `chaddr` (RFC 2131 §2).
    case hardwareAddressTooLong(hlen: UInt8)
    /// The four bytes after `file` are not 99.130.83.99 (RFC 2131 §3): BOOTP without DHCP, or noise.
    case badMagicCookie(UInt32)
    /// The field ends right after an option code, where its length byte should be (RFC 2132 §2).
    case missingOptionLength(code: UInt8, field: DHCPOptionField)
    /// An option's length runs past the end of the field that holds it.
    case optionOverrunsField(code: UInt8, length: Int, available: Int, field: DHCPOptionField)
    /// Option overload (52) has a value other than 1, 2 or 3 (RFC 2132 §9.3).
    case invalidOverload(UInt8)
    /// An option whose meaning the parser needs has the wrong length after concatenation
    /// (RFC 3396): message type (53) and overload (52) take exactly one byte.
    case invalidOptionLength(code: UInt8, length: Int)

    /// A short stable name of the case, for a metric label.
    public var kind: String {
        switch self {
        case .truncatedHeader: "truncated-header"
        case .hardwareAddressTooLong: "hlen-too-long"
        case .badMagicCookie: "bad-magic-cookie"
        case .missingOptionLength: "missing-option-length"
        case .optionOverrunsField: "option-overruns-field"
        case .invalidOverload: "invalid-overload"
        case .invalidOptionLength: "invalid-option-length"
        }
    }

    public var description: String {
        switch self {
        case .truncatedHeader(let length):
            return "packet of \(length) bytes is shorter than the 240-byte BOOTP header and magic cookie"
        case .hardwareAddressTooLong(let hlen):
            return "hardware address length \(hlen) exceeds the 16-byte chaddr field"
        case .badMagicCookie(let cookie):
            return "magic cookie 0x\(String(cookie, radix: 16)) is not the DHCP cookie 0x63825363"
        case .missingOptionLength(let code, let field):
            return "option \(code) in the \(field) field has no length byte"
        case .optionOverrunsField(let code, let length, let available, let field):
            return "option \(code) claims \(length) bytes but only \(available) remain in the \(field) field"
        case .invalidOverload(let value):
            return "option overload (52) value \(value) is not 1 (file), 2 (sname) or 3 (both)"
        case .invalidOptionLength(let code, let length):
            return "option \(code) is \(length) bytes long; it must be exactly 1"
        }
    }
}

/// The three places of a DHCP message that can hold options, in the order their contents are
/// concatenated (RFC 3396 §5): the options field, then `file`, then `sname` when overloaded.
public enum DHCPOptionField: String, Equatable, Sendable, CustomStringConvertible {
    case options, file, sname
    public var description: String { rawValue }
}

/// Why a message could not be serialised within the size a client accepts.
public enum DHCPSerializationError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The options need `needed` bytes but the options field, `file` and `sname` (those not
    /// already carrying a name) leave only `available` within the client's maximum message size.
    case optionsTooLarge(needed: Int, available: Int)

    public var description: String {
        switch self {
        case .optionsTooLarge(let needed, let available):
            return "options need \(needed) bytes but only \(available) fit in the client's maximum message size, even with overload"
        }
    }
}
