/// The encoding of one token of a protocol line.
///
/// Tokens are separated by single spaces, so a token itself may not contain SP; nor TAB, CR,
/// LF, NUL or any other C0 control, which would break framing or terminals. Everything else,
/// including non-ASCII UTF-8, travels as is. `%XX` (two hex digits, either case) stands for
/// the byte `0xXX`, so any string, for instance a JSON document with spaces, can be sent as a
/// single token. The encoder escapes exactly `%`, SP, the C0 controls and DEL, in uppercase
/// hex as RFC 3986 does; the decoder accepts any byte escaped.
public enum ProtocolToken {
    /// Encodes `value` so that it forms exactly one token. The empty string encodes to the
    /// empty token (see `Request` for how empty tokens appear on a line).
    public static func encode(_ value: String) -> String {
        guard value.utf8.contains(where: needsEscape) else { return value }
        var encoded = [UInt8]()
        encoded.reserveCapacity(value.utf8.count + 8)
        for byte in value.utf8 {
            if needsEscape(byte) {
                encoded.append(UInt8(ascii: "%"))
                encoded.append(upperHexDigits[Int(byte >> 4)])
                encoded.append(upperHexDigits[Int(byte & 0x0F)])
            } else {
                encoded.append(byte)
            }
        }
        return String(decoding: encoded, as: UTF8.self)
    }

    /// Decodes one token.
    ///
    /// - Parameter position: the token's index in its line, reported in errors.
    /// - Throws: `.forbiddenCharacter` for an unescaped SP or C0 control, `.malformedEscape`
    ///   for a `%` not followed by two hex digits, `.invalidUTF8` when the escapes spell
    ///   bytes that are not UTF-8.
    public static func decode(_ token: some StringProtocol, position: Int = 0) throws(ProtocolError) -> String {
        let bytes = Array(token.utf8)
        if let forbidden = bytes.first(where: { $0 <= 0x20 }) {
            throw .forbiddenCharacter(byte: forbidden, token: position)
        }
        guard bytes.contains(UInt8(ascii: "%")) else { return String(token) }
        var decoded = [UInt8]()
        decoded.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            guard bytes[index] == UInt8(ascii: "%") else {
                decoded.append(bytes[index])
                index += 1
                continue
            }
            guard index + 2 < bytes.count,
                  let high = LowercaseHex.anyCaseValue(of: bytes[index + 1]),
                  let low = LowercaseHex.anyCaseValue(of: bytes[index + 2])
            else { throw .malformedEscape(token: position) }
            decoded.append(high << 4 | low)
            index += 3
        }
        guard let string = validatedUTF8(decoded) else { throw .invalidUTF8(token: position) }
        return string
    }

    /// The string spelled by `bytes`, or nil if they are not valid UTF-8.
    ///
    /// `String(decoding:as:)` repairs bad sequences with U+FFFD; comparing the result with
    /// the input detects a repair without needing `String(validating:)`, which is not
    /// available on macOS 14, our oldest platform.
    static func validatedUTF8(_ bytes: some Collection<UInt8>) -> String? {
        let string = String(decoding: bytes, as: UTF8.self)
        return string.utf8.elementsEqual(bytes) ? string : nil
    }

    private static let upperHexDigits = Array("0123456789ABCDEF".utf8)

    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte <= 0x20 || byte == UInt8(ascii: "%") || byte == 0x7F
    }
}

extension ProtocolToken {
    /// Splits `text` at every single space and decodes each piece.
    ///
    /// Each SP is a separator, so `"A  B"` is the three tokens `A`, the empty string and `B`:
    /// that is what lets an empty argument travel. Splitting is done on UTF-8 bytes, not on
    /// `Character`s, because a space followed by a combining mark is one `Character` in Swift
    /// but still a separator on the wire.
    ///
    /// - Parameter firstPosition: the line position of the first token, for error messages.
    static func decodeAll(_ text: Substring, firstPosition: Int = 0) throws(ProtocolError) -> [String] {
        var tokens = [String]()
        for (offset, piece) in text.utf8.split(separator: UInt8(ascii: " "), omittingEmptySubsequences: false).enumerated() {
            tokens.append(try decode(Substring(piece), position: firstPosition + offset))
        }
        return tokens
    }

    /// The tokens of `values`, encoded and joined by single spaces.
    static func encodeAll(_ values: [String]) -> String {
        values.map(encode).joined(separator: " ")
    }
}
