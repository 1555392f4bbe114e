/// Why text read from /proc or /sys does not hold the figures the agent expects.
///
/// The kernel's formats are stable, so any of these means something unusual: a file replaced
/// by a container runtime, a kernel that lacks a field (MemAvailable came with Linux 3.14), or
/// a test fixture. The message names the field so the log says what to look at.
enum KernelTextError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The text is empty.
    case empty
    /// A field the agent needs is not there.
    case missingField(String)
    /// A field is there but its value is not a number.
    case notANumber(field: String, found: String)
    /// A number that cannot be right: negative, not finite, or contradicting another field.
    case outOfRange(field: String, found: String)

    var description: String {
        switch self {
        case .empty:
            return "the file is empty"
        case .missingField(let field):
            return "\(field) is missing"
        case let .notANumber(field, found):
            return "\(field) is not a number: \(Self.excerpt(found))"
        case let .outOfRange(field, found):
            return "\(field) is out of range: \(Self.excerpt(found))"
        }
    }

    /// Garbage can be long or binary; a log line needs only its start.
    private static func excerpt(_ text: String) -> String {
        let printable = String(String.UnicodeScalarView(text.unicodeScalars.prefix(40).map {
            $0.value < 0x20 || $0.value == 0x7F ? "?" : $0
        }))
        return "\"\(printable)\(text.unicodeScalars.count > 40 ? "..." : "")\""
    }
}

/// Shared by the parsers: the kernel prints plain decimals, never NaN or infinity, so such a
/// value is garbage even though `Double("nan")` would accept it.
enum KernelNumber {
    static func nonNegativeDouble(_ text: Substring, field: String) throws(KernelTextError) -> Double {
        guard let value = Double(text) else { throw .notANumber(field: field, found: String(text)) }
        guard value.isFinite, value >= 0 else { throw .outOfRange(field: field, found: String(text)) }
        return value
    }
}
