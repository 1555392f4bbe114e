/// Why the display command could not be started. The loop shows it and prompts again: a
/// missing X server is for the administrator to fix, and the next user may try meanwhile.
enum DisplayLaunchError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A bare program name that no directory of the search path holds.
    case notFound(program: String, searchPath: String)
    /// The file exists but cannot be executed (no permission, a directory).
    case notExecutable(path: String)
    /// posix_spawn(3) failed.
    case spawnFailed(path: String, reason: String)

    var description: String {
        switch self {
        case let .notFound(program, searchPath):
            return "\"\(program)\" was not found in \(searchPath.isEmpty ? "an empty PATH" : searchPath)"
        case .notExecutable(let path):
            return "\(path) is not an executable file"
        case let .spawnFailed(path, reason):
            return "\(path) could not be started: \(reason)"
        }
    }

    /// The status `tc-login --once` exits with, as a shell does: 127 not found, 126 not runnable.
    var exitStatus: Int32 {
        switch self {
        case .notFound: return 127
        case .notExecutable, .spawnFailed: return 126
        }
    }
}
