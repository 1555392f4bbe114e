/// How a display command ended.
enum DisplayExit: Equatable, Sendable, CustomStringConvertible {
    /// It exited with this status.
    case exited(Int32)
    /// A signal ended it.
    case signalled(Int32)

    /// The status a shell would report: the exit status, or 128 plus the signal number.
    var status: Int32 {
        switch self {
        case .exited(let status): return status
        case .signalled(let signal): return 128 + signal
        }
    }

    var description: String {
        switch self {
        case .exited(let status): return "status \(status)"
        case .signalled(let signal): return "signal \(signal)"
        }
    }
}
