/// Why a cluster key could not be created, loaded or written. Each message names the file
/// and says how to fix it, because the person reading it is an operator at a console.
public enum ClusterKeyError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The key is not 32 bytes.
    case wrongLength(Int)
    /// The key text is not 64 lowercase hex characters; `path` is nil for in-memory text.
    case malformed(path: String?, reason: String)
    /// The key file grants permissions to group or other users.
    case insecurePermissions(path: String, mode: UInt32)
    /// The path is not a regular file.
    case notARegularFile(path: String)
    /// The key file cannot be opened or read.
    case unreadable(path: String, reason: String)
    /// `write(to:overwrite:)` found an existing file and was not asked to replace it.
    case alreadyExists(path: String)
    /// The key file cannot be created or written.
    case unwritable(path: String, reason: String)

    public var description: String {
        switch self {
        case .wrongLength(let count):
            return "a cluster key is \(ClusterKey.byteCount) bytes, got \(count)"
        case .malformed(let path?, let reason):
            return "cluster key file \(path) must hold one line of 64 lowercase hex characters (\(reason)); "
                + "a valid key can be made with `(umask 077; openssl rand -hex 32 > \(path))`"
        case .malformed(nil, let reason):
            return "a cluster key is 64 lowercase hex characters (\(reason))"
        case .insecurePermissions(let path, let mode):
            return "cluster key file \(path) has mode \(Self.octal(mode)), which lets group or other users "
                + "access it; it must be 0600 or 0400: run `chmod 600 \(path)`"
        case .notARegularFile(let path):
            return "cluster key path \(path) is not a regular file"
        case .unreadable(let path, let reason):
            return "cannot read cluster key file \(path): \(reason)"
        case .alreadyExists(let path):
            return "cluster key file \(path) already exists; refusing to overwrite it "
                + "(every node holding the old key would stop authenticating)"
        case .unwritable(let path, let reason):
            return "cannot write cluster key file \(path): \(reason)"
        }
    }

    private static func octal(_ mode: UInt32) -> String {
        let digits = String(mode & 0o7777, radix: 8)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
