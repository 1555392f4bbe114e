/// Lowercase hexadecimal, the spelling the protocol uses for nonces, MACs and the key file.
///
/// Decoding is strict (lowercase only, even length) so that one value has exactly one
/// spelling: a nonce cache keyed by the text can then not be bypassed by changing case.
enum LowercaseHex {
    private static let digits = Array("0123456789abcdef".utf8)

    static func encode(_ bytes: some Sequence<UInt8>) -> String {
        var text = [UInt8]()
        text.reserveCapacity(bytes.underestimatedCount * 2)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// The bytes spelled by `text`, or nil unless it is an even number of `0-9a-f` characters.
    static func decode(_ text: some StringProtocol) -> [UInt8]? {
        let utf8 = Array(text.utf8)
        guard utf8.count % 2 == 0 else { return nil }
        var bytes = [UInt8]()
        bytes.reserveCapacity(utf8.count / 2)
        var index = 0
        while index < utf8.count {
            guard let high = value(of: utf8[index]), let low = value(of: utf8[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    /// True when `text` is exactly `length` lowercase hex characters.
    static func isValid(_ text: some StringProtocol, length: Int) -> Bool {
        text.utf8.count == length && text.utf8.allSatisfy { value(of: $0) != nil }
    }

    private static func value(of digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return digit - UInt8(ascii: "a") + 10
        default: return nil
        }
    }

    /// The value of one hex digit in either case, for `%XX` escapes, which RFC 3986 lets be
    /// written in either case.
    static func anyCaseValue(of digit: UInt8) -> UInt8? {
        value(of: digit) ?? ((UInt8(ascii: "A")...UInt8(ascii: "F")).contains(digit) ? digit - UInt8(ascii: "A") + 10 : nil)
    }
}
