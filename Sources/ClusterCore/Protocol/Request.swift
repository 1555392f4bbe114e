import NIOCore

/// One request line: a verb and its arguments.
///
/// On the wire: `VERB` followed by zero or more arguments, each a `ProtocolToken`, all
/// separated by single spaces, e.g. `USER-ADD alice {"group":%20"staff"}`. The verb is
/// 1-32 characters of `A-Z`, `0-9` and `-`; it is never escaped, so a daemon can dispatch on
/// it without decoding. `AUTH` is reserved for signed requests (see `RequestSigner`).
public struct Request: Hashable, Sendable, CustomStringConvertible {
    /// Longest verb accepted.
    public static let maximumVerbLength = 32

    /// The verb, e.g. `PING`.
    public let verb: String
    /// The decoded arguments, in order. An argument may be the empty string.
    public var arguments: [String]

    /// Creates a request after checking that `verb` is well formed.
    public init(verb: String, arguments: [String] = []) throws(ProtocolError) {
        guard Self.isValidVerb(verb) else { throw .invalidVerb(verb) }
        self.verb = verb
        self.arguments = arguments
    }

    /// Parses one request line, without its terminator.
    public init(parsing line: String) throws(ProtocolError) {
        guard !line.isEmpty else { throw .emptyLine }
        let utf8 = line.utf8
        let verbEnd = utf8.firstIndex(of: UInt8(ascii: " ")) ?? utf8.endIndex
        let verb = String(Substring(utf8[utf8.startIndex..<verbEnd]))
        guard Self.isValidVerb(verb) else { throw .invalidVerb(verb) }
        self.verb = verb
        if verbEnd == utf8.endIndex {
            self.arguments = []
        } else {
            let rest = Substring(utf8[utf8.index(after: verbEnd)...])
            self.arguments = try ProtocolToken.decodeAll(rest, firstPosition: 1)
        }
    }

    /// The request line, without terminator.
    public func serialized() -> String {
        arguments.isEmpty ? verb : verb + " " + ProtocolToken.encodeAll(arguments)
    }

    /// Writes the request line and its LF terminator.
    public func write(to buffer: inout ByteBuffer) {
        buffer.writeString(serialized())
        buffer.writeInteger(UInt8(ascii: "\n"))
    }

    public var description: String { serialized() }

    /// True for 1-32 characters of `A-Z`, `0-9` and `-`.
    public static func isValidVerb(_ verb: some StringProtocol) -> Bool {
        (1...maximumVerbLength).contains(verb.utf8.count) && verb.utf8.allSatisfy { byte in
            (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || byte == UInt8(ascii: "-")
        }
    }
}
