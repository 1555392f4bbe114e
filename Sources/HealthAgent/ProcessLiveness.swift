#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Whether the process a utmp record names still runs.
enum ProcessLiveness {
    /// `kill(pid, 0)` sends nothing and only checks: 0 means the process exists, EPERM that it
    /// exists under another user (xdm's sessions belong to root or the user, the agent may not).
    /// PID 0 cannot be checked (some tools write it) and counts as alive. A negative PID is
    /// garbage and counts as dead: `kill` would take it as a process group.
    static func isAlive(_ pid: Int32) -> Bool {
        if pid == 0 { return true }
        guard pid > 0 else { return false }
        return kill(pid, 0) == 0 || errno == EPERM
    }
}
