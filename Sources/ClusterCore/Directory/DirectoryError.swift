/// Everything that can go wrong when reading or changing the directory.
///
/// Each case carries what an administrator needs to fix the input; `description` is the
/// sentence a daemon logs or tcctl prints. A throwing write never leaves a partial change
/// behind: every write runs in one SQLite transaction.
public enum DirectoryError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A name, address or value does not have the required form.
    case invalid(field: String, value: String, reason: String)
    /// The record to create exists already.
    case alreadyExists(kind: String, name: String)
    /// The record to read or change does not exist.
    case notFound(kind: String, name: String)
    /// The change would break a rule of the directory (a unique address, a group's members).
    case conflict(String)
    /// A bulk import line could not be taken; nothing of the import was written.
    case importLine(line: Int, reason: String)
    /// A replication delta could not be applied; nothing of it was written.
    case badChange(index: Int, reason: String)
    /// The directory was opened read-only and a write was attempted.
    case readOnly
    /// SQLite failed (missing file, permissions, disk full, locked for too long).
    case storage(String)

    public var description: String {
        switch self {
        case let .invalid(field, value, reason):
            return "invalid \(field) \"\(value)\": \(reason)"
        case let .alreadyExists(kind, name):
            return "\(kind) \(name) already exists"
        case let .notFound(kind, name):
            return "\(kind) \(name) is not in the directory"
        case let .conflict(message):
            return message
        case let .importLine(line, reason):
            return "line \(line): \(reason); nothing was imported"
        case let .badChange(index, reason):
            return "change \(index) of the delta is invalid: \(reason); nothing was applied"
        case .readOnly:
            return "the directory is open read-only"
        case let .storage(message):
            return "directory storage error: \(message)"
        }
    }

    /// The protocol error code that goes with this error (`ERR <code> ...`).
    public var code: String {
        switch self {
        case .invalid, .importLine, .badChange: return "invalid"
        case .alreadyExists, .conflict: return "conflict"
        case .notFound: return "not-found"
        case .readOnly, .storage: return "internal"
        }
    }
}
