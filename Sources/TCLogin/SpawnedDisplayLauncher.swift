import Foundation

/// Starts the display command with posix_spawn(3) and waits for it on a thread of its own.
///
/// Not Foundation's `Process`: the child must get exactly what a shell would give it. It
/// inherits the console as standard input, output and error, and stays in tc-login's process
/// group, so that it is in the terminal's foreground group like a command typed at a shell. Its
/// signal dispositions are reset to the defaults and its signal mask emptied: swift-service-
/// lifecycle makes tc-login ignore SIGTERM, SIGINT and SIGHUP so that it can handle them itself,
/// and an ignored signal survives exec, which would leave an X server that SIGTERM cannot stop.
struct SpawnedDisplayLauncher: DisplayLauncher {
    /// Where bare program names are looked up.
    var search: ProgramSearch
    /// How long a display command may take to exit after SIGTERM before it gets SIGKILL.
    var stopGrace: Duration = .seconds(5)

    func run(_ arguments: [String]) async throws(DisplayLaunchError) -> DisplayExit {
        let program = arguments.first ?? ""
        let path = try search.locate(program)
        let child = try spawn(path: path, arguments: arguments)
        return await wait(for: child)
    }

    private func spawn(path: String, arguments: [String]) throws(DisplayLaunchError) -> ChildProcess {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigfillset(&defaults)
        sigdelset(&defaults, SIGKILL)
        sigdelset(&defaults, SIGSTOP)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var emptyMask = sigset_t()
        sigemptyset(&emptyMask)
        posix_spawnattr_setsigmask(&attributes, &emptyMask)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid = pid_t()
        let result = posix_spawn(&pid, path, nil, &attributes, argv, environ)
        guard result == 0 else {
            throw .spawnFailed(path: path, reason: String(cString: strerror(result)))
        }
        return ChildProcess(pid: pid)
    }

    /// Waits on a dedicated thread (waitpid blocks); on cancellation sends SIGTERM, then SIGKILL
    /// after `stopGrace`, and still returns only once the child has exited.
    private func wait(for child: ChildProcess) async -> DisplayExit {
        let exit = ResumeOnce<DisplayExit>()
        Thread.detachNewThread { exit.resume(with: child.waitForExit()) }
        let grace = stopGrace
        return await withTaskCancellationHandler {
            await exit.wait()
        } onCancel: {
            child.send(SIGTERM)
            Thread.detachNewThread {
                Thread.sleep(forTimeInterval: Double(grace.components.seconds) + Double(grace.components.attoseconds) / 1e18)
                child.send(SIGKILL)
            }
        }
    }
}

/// A child process that may be signalled until it has exited, and never after.
///
/// `waitForExit` first waits with `WNOWAIT`, which leaves the exited child unreaped, marks it
/// exited, and only then reaps it: so a signal is never sent to a pid that the kernel may
/// already have given to another process.
private final class ChildProcess: @unchecked Sendable {
    // @unchecked: `exited` is read and written under `lock` only; `pid` is immutable.
    let pid: pid_t
    private let lock = NSLock()
    private var exited = false

    init(pid: pid_t) {
        self.pid = pid
    }

    func send(_ signal: Int32) {
        lock.lock()
        defer { lock.unlock() }
        if !exited { kill(pid, signal) }
    }

    func waitForExit() -> DisplayExit {
        var info = siginfo_t()
        while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) != 0, errno == EINTR {}
        lock.lock()
        exited = true
        lock.unlock()
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        // WIFEXITED and friends are C macros Swift cannot import: the low 7 bits hold the
        // terminating signal, zero for a normal exit whose status is in the next byte.
        let signal = status & 0x7F
        return signal == 0 ? .exited((status >> 8) & 0xFF) : .signalled(signal)
    }
}
