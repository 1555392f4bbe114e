/// A 48-bit Ethernet hardware address, the key of a thin client in the directory.
///
/// Administrators paste MACs in whatever form their switch or inventory prints, so parsing
/// accepts `aa:bb:cc:dd:ee:ff`, `AA-BB-CC-DD-EE-FF`, `aabb.ccdd.eeff` and `aabbccddeeff`; the
/// canonical form (lowercase, colon-separated) is what is stored and compared.
public struct MACAddress: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let bytes: [UInt8]

    public init(bytes: [UInt8]) throws(DirectoryError) {
        guard bytes.count == 6 else {
            throw .invalid(field: "mac", value: bytes.map { hex($0) }.joined(separator: ":"), reason: "must be 6 bytes")
        }
        self.bytes = bytes
    }

    public init(parsing text: String) throws(DirectoryError) {
        let utf8 = Array(text.utf8)
        let digits: [UInt8]
        switch utf8.count {
        case 17 where [2, 5, 8, 11, 14].allSatisfy({ utf8[$0] == utf8[2] }) && (utf8[2] == UInt8(ascii: ":") || utf8[2] == UInt8(ascii: "-")):
            digits = utf8.enumerated().filter { ($0.offset + 1) % 3 != 0 }.map(\.element)
        case 14 where utf8[4] == UInt8(ascii: ".") && utf8[9] == UInt8(ascii: "."):
            digits = utf8.enumerated().filter { $0.offset != 4 && $0.offset != 9 }.map(\.element)
        case 12:
            digits = utf8
        default:
            throw .invalid(field: "mac", value: text, reason: "must be 6 hexadecimal bytes such as 52:54:00:12:34:56")
        }
        var parsed: [UInt8] = []
        parsed.reserveCapacity(6)
        for index in stride(from: 0, to: 12, by: 2) {
            guard let high = hexValue(digits[index]), let low = hexValue(digits[index + 1]) else {
                throw .invalid(field: "mac", value: text, reason: "must be 6 hexadecimal bytes such as 52:54:00:12:34:56")
            }
            parsed.append(high << 4 | low)
        }
        self.bytes = parsed
    }

    public var description: String { bytes.map { hex($0) }.joined(separator: ":") }

    public static func < (lhs: MACAddress, rhs: MACAddress) -> Bool {
        lhs.bytes.lexicographicallyPrecedes(rhs.bytes)
    }
}

private func hex(_ byte: UInt8) -> String {
    let digits: [Character] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "a", "b", "c", "d", "e", "f"]
    return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
}

private func hexValue(_ byte: UInt8) -> UInt8? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
    default: return nil
    }
}
