/// The identity of one copy of the directory: 16 lowercase hex digits, drawn at random when the
/// database file is created and kept in it.
///
/// It belongs to the file, not to the machine, so that tcctl and the daemons of one node that
/// open the same file count as one replica. A copied database file carries its id along: a
/// restored backup must not run beside the original as a second replica.
public struct ReplicaID: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: String

    public init(validating rawValue: String) throws(DirectoryError) {
        guard rawValue.utf8.count == 16,
              rawValue.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) })
        else {
            throw .invalid(field: "replica id", value: rawValue, reason: "must be 16 lowercase hexadecimal digits")
        }
        self.rawValue = rawValue
    }

    public static func random() -> ReplicaID {
        var generator = SystemRandomNumberGenerator()
        return random(using: &generator)
    }

    public static func random<G: RandomNumberGenerator>(using generator: inout G) -> ReplicaID {
        let value = UInt64.random(in: 0 ... UInt64.max, using: &generator)
        let text = String(value, radix: 16)
        return ReplicaID(unchecked: String(repeating: "0", count: 16 - text.count) + text)
    }

    private init(unchecked: String) { self.rawValue = unchecked }

    public static func < (lhs: ReplicaID, rhs: ReplicaID) -> Bool { lhs.rawValue < rhs.rawValue }

    public var description: String { rawValue }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do {
            try self.init(validating: text)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
