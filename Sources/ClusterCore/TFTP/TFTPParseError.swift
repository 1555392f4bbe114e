/// Why a datagram is not a TFTP packet this server can act on. A request that fails to parse
/// is answered with an ERROR packet naming the reason (code 4, illegal operation) when it looks
/// like a request at all, and dropped otherwise; either way it is counted by `kind`.
public enum TFTPParseError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Shorter than the opcode and the fixed fields of its packet type.
    case truncated(length: Int)
    /// An opcode outside 1...6 (RFC 1350 §5, RFC 2347).
    case unknownOpcode(UInt16)
    /// A string field (file name, mode, option) runs to the end of the packet without its NUL.
    case unterminatedString(field: String)
    /// The file name is empty, or longer than the request can hold.
    case invalidFilename(String)
    /// A mode other than netascii, octet or mail (RFC 1350 §5), compared without case.
    case invalidMode(String)
    /// An option name with no value after it (RFC 2347: options come in name/value pairs).
    case optionWithoutValue(String)
    /// The same option twice in one request.
    case repeatedOption(String)
    /// A request longer than 512 bytes (RFC 2347 §2: the request packet must fit in 512).
    case requestTooLong(length: Int)
    /// Bytes in a string field that are not printable ASCII (NUL excepted, which ends it).
    case invalidCharacters(field: String)

    /// A short stable name of the case, for a metric label.
    public var kind: String {
        switch self {
        case .truncated: "truncated"
        case .unknownOpcode: "unknown-opcode"
        case .unterminatedString: "unterminated-string"
        case .invalidFilename: "invalid-filename"
        case .invalidMode: "invalid-mode"
        case .optionWithoutValue: "option-without-value"
        case .repeatedOption: "repeated-option"
        case .requestTooLong: "request-too-long"
        case .invalidCharacters: "invalid-characters"
        }
    }

    public var description: String {
        switch self {
        case .truncated(let length): "packet of \(length) bytes is too short"
        case .unknownOpcode(let opcode): "unknown opcode \(opcode)"
        case .unterminatedString(let field): "\(field) is not terminated by a NUL byte"
        case .invalidFilename(let name): "invalid file name \"\(name.prefix(64))\""
        case .invalidMode(let mode): "unknown transfer mode \"\(mode.prefix(32))\" (netascii, octet or mail)"
        case .optionWithoutValue(let name): "option \"\(name.prefix(32))\" has no value"
        case .repeatedOption(let name): "option \"\(name.prefix(32))\" given twice"
        case .requestTooLong(let length): "request of \(length) bytes is longer than 512"
        case .invalidCharacters(let field): "\(field) contains bytes that are not printable ASCII"
        }
    }
}
