import NIOCore

/// One response line: `OK` with result tokens, or `ERR` with a code and a human message.
///
/// ```
/// OK
/// OK 10.0.0.7 3
/// ERR not-found user alice is not in the directory
/// ```
/// The `OK` values are `ProtocolToken`s separated by single spaces. The `ERR` message is
/// free text, the rest of the line, meant for people and logs: it is not escaped, so its
/// spaces read naturally, and control characters are replaced by spaces when serialising.
public enum Response: Hashable, Sendable, CustomStringConvertible {
    /// Success, with zero or more result values.
    case ok([String])
    /// Failure, with a machine-readable code and a message for people.
    case error(ErrorCode, String)

    /// Parses one response line, without its terminator.
    public init(parsing line: String) throws(ProtocolError) {
        let utf8 = line.utf8
        let kindEnd = utf8.firstIndex(of: UInt8(ascii: " ")) ?? utf8.endIndex
        let kind = Substring(utf8[utf8.startIndex..<kindEnd])
        let rest = kindEnd == utf8.endIndex ? Substring() : Substring(utf8[utf8.index(after: kindEnd)...])
        switch kind {
        case "OK":
            self = .ok(kindEnd == utf8.endIndex ? [] : try ProtocolToken.decodeAll(rest, firstPosition: 1))
        case "ERR":
            let codeEnd = rest.utf8.firstIndex(of: UInt8(ascii: " ")) ?? rest.utf8.endIndex
            let code = Substring(rest.utf8[rest.utf8.startIndex..<codeEnd])
            guard ErrorCode.isWellFormed(code) else { throw .invalidErrorCode(String(code)) }
            let text = codeEnd == rest.utf8.endIndex ? "" : String(Substring(rest.utf8[rest.utf8.index(after: codeEnd)...]))
            self = .error(ErrorCode(rawValue: String(code)), text)
        default:
            throw .unknownResponseKind(line)
        }
    }

    /// The response line, without terminator.
    ///
    /// A malformed `.other` code is sent as `internal`, and control characters in the
    /// message become spaces, so that whatever a handler returns, the peer receives exactly
    /// one parseable line.
    public func serialized() -> String {
        switch self {
        case .ok(let values):
            return values.isEmpty ? "OK" : "OK " + ProtocolToken.encodeAll(values)
        case .error(let code, let message):
            let wireCode = ErrorCode.isWellFormed(code.rawValue) ? code.rawValue : ErrorCode.internal.rawValue
            let text = Self.singleLine(message)
            return text.isEmpty ? "ERR \(wireCode)" : "ERR \(wireCode) \(text)"
        }
    }

    /// Writes the response line and its LF terminator.
    public func write(to buffer: inout ByteBuffer) {
        buffer.writeString(serialized())
        buffer.writeInteger(UInt8(ascii: "\n"))
    }

    public var description: String { serialized() }

    private static func singleLine(_ message: String) -> String {
        guard message.unicodeScalars.contains(where: isControl) else { return message }
        return String(String.UnicodeScalarView(message.unicodeScalars.map { isControl($0) ? " " : $0 }))
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || scalar.value == 0x7F
    }
}
