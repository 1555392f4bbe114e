/// Why a line of the ThinCluster line protocol could not be parsed.
///
/// Every case carries enough context for the `ERR syntax ...` answer to tell a human at a
/// `nc` prompt what was wrong, without echoing unbounded client input back.
public enum ProtocolError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The line was empty; the server answers `ERR syntax empty request`.
    case emptyLine
    /// The verb is not 1-32 characters of `A-Z`, `0-9` and `-`.
    case invalidVerb(String)
    /// A token contains a byte that must be `%XX`-escaped (SP, TAB, CR, LF, NUL or another
    /// C0 control). `token` is the zero-based position of the token in the line.
    case forbiddenCharacter(byte: UInt8, token: Int)
    /// A `%` is not followed by two hexadecimal digits.
    case malformedEscape(token: Int)
    /// The `%XX` escapes of a token decode to bytes that are not valid UTF-8.
    case invalidUTF8(token: Int)
    /// A response line starts with neither `OK` nor `ERR`.
    case unknownResponseKind(String)
    /// An `ERR` response lacks its code, or the code is not 1-32 characters of `a-z`, `0-9`, `-`.
    case invalidErrorCode(String)

    public var description: String {
        switch self {
        case .emptyLine:
            return "empty request"
        case .invalidVerb(let verb):
            return "invalid verb \(Self.excerpt(verb)): expected 1-32 characters of A-Z, 0-9 and '-'"
        case .forbiddenCharacter(let byte, let token):
            return "token \(token) contains control byte 0x\(LowercaseHex.encode([byte])); escape it as %XX"
        case .malformedEscape(let token):
            return "token \(token) has a '%' not followed by two hex digits"
        case .invalidUTF8(let token):
            return "token \(token) decodes to invalid UTF-8"
        case .unknownResponseKind(let line):
            return "response \(Self.excerpt(line)) starts with neither OK nor ERR"
        case .invalidErrorCode(let code):
            return "invalid error code \(Self.excerpt(code))"
        }
    }

    /// Quotes at most 40 characters of peer-supplied text, so that an error message built
    /// from a hostile line stays short and on one line.
    static func excerpt(_ text: String) -> String {
        let printable = String(String.UnicodeScalarView(text.unicodeScalars.prefix(40).map {
            $0.value < 0x20 || $0.value == 0x7F ? "?" : $0
        }))
        return text.unicodeScalars.count > 40 ? "'\(printable)...'" : "'\(printable)'"
    }
}
