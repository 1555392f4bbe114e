#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// One child process started with posix_spawn and reaped with waitpid by pid: the single way
/// the tests start processes.
///
/// Not Foundation's Process: that one learns of an exit only when every inherited copy of a
/// descriptor it gave the child is closed, so a tool that leaves a daemon behind (dhclient once
/// bound) never "exits"; and its dispatch-based monitoring, mixed with direct waitpid calls for
/// other children of the same test process, crashed inside libdispatch. Here nothing but
/// `waitpid(pid)` for our own pids is ever called, and waiting is polling, never a blocked
/// thread of the cooperative pool (unless a caller chooses the blocking variant).
public final class SpawnedProcess: @unchecked Sendable {
    // @unchecked: `exitStatus` is read and written under `lock` only; the rest is immutable.

    /// Where a standard stream of the child goes.
    public enum Stream: Sendable {
        /// /dev/null.
        case null
        /// A pipe whose other end the parent holds (`inputDescriptor` / `outputDescriptor`).
        case pipe
        /// A file, created or truncated (for stdin: read from its start).
        case file(String)
    }

    public let pid: pid_t
    public let executable: String
    /// The parent's end of the child's stdin, when `.pipe`; -1 otherwise.
    public private(set) var inputDescriptor: Int32 = -1
    /// The parent's end of the child's stdout, when `.pipe`; -1 otherwise.
    public let outputDescriptor: Int32
    private let lock = NSLock()
    private var exitStatus: Int32?

    public init(executable: String, arguments: [String], stdin: Stream = .null, stdout: Stream = .null, stderr: Stream = .null) throws {
        self.executable = executable
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var parentEnds: [Int32] = [-1, -1]
        var childEnds: [Int32] = []
        defer { for descriptor in childEnds { close(descriptor) } }
        for (index, stream) in [stdin, stdout, stderr].enumerated() {
            let target = Int32(index)
            switch stream {
            case .null:
                posix_spawn_file_actions_addopen(&actions, target, "/dev/null", index == 0 ? O_RDONLY : O_WRONLY, 0)
            case .file(let path):
                let flags = index == 0 ? O_RDONLY : (O_WRONLY | O_CREAT | O_TRUNC)
                posix_spawn_file_actions_addopen(&actions, target, path, flags, 0o600)
            case .pipe:
                var ends: [Int32] = [-1, -1]
                guard GNUExtensions.pipe2(&ends, O_CLOEXEC) == 0 else {
                    for descriptor in parentEnds where descriptor >= 0 { close(descriptor) }
                    throw ToolError("pipe2 failed: \(String(cString: strerror(errno)))")
                }
                // stdin: the child reads ends[0]; stdout: the child writes ends[1].
                let (child, parent) = index == 0 ? (ends[0], ends[1]) : (ends[1], ends[0])
                childEnds.append(child)
                if index < 2 { parentEnds[index] = parent } else { close(parent) }
                posix_spawn_file_actions_adddup2(&actions, child, target)
            }
        }
        // Nothing else of the test process leaks into the child (sockets of in-process servers
        // would otherwise stay open in daemons the test starts).
        _ = GNUExtensions.addCloseFrom(&actions, 3)
        // The child starts with no signal blocked and default handlers, whatever thread spawns
        // it (libdispatch's threads block signals, and a child inherits the mask).
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t(), all = sigset_t()
        sigemptyset(&empty)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, &attributes, argv, environ)
        guard spawned == 0 else {
            for descriptor in parentEnds where descriptor >= 0 { close(descriptor) }
            throw ToolError("cannot start \(executable): \(String(cString: strerror(spawned)))")
        }
        self.pid = pid
        inputDescriptor = parentEnds[0]
        outputDescriptor = parentEnds[1]
    }

    deinit {
        if inputDescriptor >= 0 { close(inputDescriptor) }
        if outputDescriptor >= 0 { close(outputDescriptor) }
    }

    /// The exit status if the child has ended (128 + signal number when a signal ended it),
    /// reaping it the first time; nil while it runs.
    public var status: Int32? {
        lock.withLock {
            if let exitStatus { return exitStatus }
            var raw: Int32 = 0
            let reaped = waitpid(pid, &raw, WNOHANG)
            if reaped == pid {
                // WIFEXITED / WEXITSTATUS / WTERMSIG, which Swift does not import as functions.
                exitStatus = (raw & 0x7F) == 0 ? (raw >> 8) & 0xFF : 128 + (raw & 0x7F)
            } else if reaped < 0, errno == ECHILD {
                exitStatus = -1
            }
            return exitStatus
        }
    }

    public var isRunning: Bool { status == nil }

    /// Sends `signal` unless the child has been reaped (its pid could be reused after that).
    public func signal(_ signal: Int32) {
        lock.withLock { if exitStatus == nil { _ = kill(pid, signal) } }
    }

    /// Blocks this thread until the child ends or `timeout` passes; the status, or nil.
    @discardableResult
    public func waitBlocking(timeout: Duration) -> Int32? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let status { return status }
            usleep(2_000)
        }
        return status
    }

    /// Waits without blocking a thread until the child ends or `timeout` passes.
    public func wait(timeout: Duration) async -> Int32? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let status { return status }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return status
    }

    /// SIGTERM, then SIGKILL after `grace`; reaps the child either way.
    @discardableResult
    public func terminate(grace: Duration = .seconds(5)) -> Int32? {
        guard isRunning else { return status }
        signal(SIGTERM)
        if let status = waitBlocking(timeout: grace) { return status }
        signal(SIGKILL)
        return waitBlocking(timeout: .seconds(5))
    }

    /// Writes all of `text` to the child's stdin pipe.
    public func write(_ text: String) {
        guard inputDescriptor >= 0 else { return }
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { Glibc.write(inputDescriptor, $0.baseAddress, $0.count) }
            if written < 0, errno == EINTR { continue }
            guard written > 0 else { return }
            bytes = bytes.dropFirst(written)
        }
    }

    /// Closes the child's stdin pipe: end of input.
    public func closeInput() {
        lock.withLock {
            if inputDescriptor >= 0 { close(inputDescriptor) }
            inputDescriptor = -1
        }
    }

    /// Reads what the stdout pipe has within `milliseconds`: bytes, an empty array when nothing
    /// came, nil at its end.
    public func readOutput(waitingUpTo milliseconds: Int32) -> [UInt8]? {
        guard outputDescriptor >= 0 else { return nil }
        var poll = pollfd(fd: outputDescriptor, events: Int16(POLLIN), revents: 0)
        guard Glibc.poll(&poll, 1, milliseconds) > 0 else { return [] }
        var chunk = [UInt8](repeating: 0, count: 65_536)
        let count = chunk.withUnsafeMutableBytes { read(outputDescriptor, $0.baseAddress, $0.count) }
        if count < 0 { return errno == EINTR || errno == EAGAIN ? [] : nil }
        return count == 0 ? nil : Array(chunk[0..<count])
    }
}

/// glibc functions Swift's Glibc module leaves out (they need _GNU_SOURCE), looked up once.
private enum GNUExtensions {
    typealias Pipe2 = @convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32
    typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32

    private static func symbol<T>(_ name: String, as type: T.Type) -> T? {
        guard let handle = dlopen(nil, RTLD_NOW), let pointer = dlsym(handle, name) else { return nil }
        return unsafeBitCast(pointer, to: type)
    }

    private static let pipe2Function = symbol("pipe2", as: Pipe2.self)
    private static let addCloseFromFunction = symbol("posix_spawn_file_actions_addclosefrom_np", as: AddCloseFrom.self)

    /// pipe2, or pipe then FD_CLOEXEC where pipe2 is missing.
    static func pipe2(_ ends: UnsafeMutablePointer<Int32>, _ flags: Int32) -> Int32 {
        if let pipe2Function { return pipe2Function(ends, flags) }
        guard pipe(ends) == 0 else { return -1 }
        _ = fcntl(ends[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(ends[1], F_SETFD, FD_CLOEXEC)
        return 0
    }

    /// Closes every descriptor from `lowest` up in the child (glibc 2.34 and later).
    static func addCloseFrom(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ lowest: Int32) -> Int32 {
        addCloseFromFunction?(actions, lowest) ?? -1
    }
}
