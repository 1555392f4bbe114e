/// Why a `LineServer` has no address to report.
public enum LineServerError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The server is not running, or has stopped.
    case notRunning
    /// The socket reported no local address after binding.
    case noLocalAddress

    public var description: String {
        switch self {
        case .notRunning: return "the line server is not running"
        case .noLocalAddress: return "the bound socket has no local address"
        }
    }
}
