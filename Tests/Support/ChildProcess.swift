import Foundation

/// A real daemon or tool started by a test: stdout read line by line, stderr kept in a log file
/// for failure reports, killed for sure when the test ends.
public final class ChildProcess: @unchecked Sendable {
    public let name: String
    public let process = Process()
    public let logURL: URL
    private let stdout = Pipe()
    private let stdin = Pipe()
    private var buffer = Data()
    private let lock = NSLock()

    public init(name: String, executable: URL, arguments: [String], logDirectory: URL) throws {
        self.name = name
        logURL = logDirectory.appendingPathComponent("\(name).log")
        FileManager.default.createFile(atPath: logURL.path, contents: nil)
        process.executableURL = executable
        process.arguments = arguments
        process.standardOutput = stdout
        process.standardInput = stdin
        process.standardError = try FileHandle(forWritingTo: logURL)
        try process.run()
    }

    public var pid: Int32 { process.processIdentifier }
    public var isRunning: Bool { process.isRunning }

    public func write(_ text: String) {
        stdin.fileHandleForWriting.write(Data(text.utf8))
    }

    public func closeInput() { try? stdin.fileHandleForWriting.close() }

    /// The next stdout line, or nil when none arrives within `timeout` or the process ended.
    public func nextLine(timeout: Duration = .seconds(15)) -> String? {
        lock.lock()
        defer { lock.unlock() }
        let deadline = ContinuousClock.now + timeout
        let handle = stdout.fileHandleForReading
        while ContinuousClock.now < deadline {
            if let newline = buffer.firstIndex(of: 0x0A) {
                let line = String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self)
                buffer.removeSubrange(buffer.startIndex...newline)
                return line
            }
            var poll = pollfd(fd: handle.fileDescriptor, events: Int16(POLLIN), revents: 0)
            if Foundation.poll(&poll, 1, 50) > 0 {
                let chunk = handle.availableData
                if chunk.isEmpty { return nil }
                buffer.append(chunk)
            }
        }
        return nil
    }

    /// Reads lines until one contains `text`; nil on timeout or end of output.
    public func waitForLine(containing text: String, timeout: Duration = .seconds(15)) -> String? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            guard let line = nextLine(timeout: deadline - .now) else { return nil }
            if line.contains(text) { return line }
        }
        return nil
    }

    public func signal(_ signal: Int32) { if process.isRunning { kill(process.processIdentifier, signal) } }

    /// Waits for the process to exit, up to `timeout`; its status, or nil if it is still running.
    @discardableResult
    public func waitForExit(timeout: Duration = .seconds(10)) -> Int32? {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning, ContinuousClock.now < deadline { usleep(10_000) }
        return process.isRunning ? nil : process.terminationStatus
    }

    /// SIGTERM, then SIGKILL if it lingers.
    public func stop() {
        guard process.isRunning else { return }
        signal(SIGTERM)
        if waitForExit(timeout: .seconds(5)) == nil {
            signal(SIGKILL)
            waitForExit(timeout: .seconds(5))
        }
    }

    public var log: String { (try? String(contentsOf: logURL, encoding: .utf8)) ?? "" }
}

/// Where the package's built executables are: next to the test bundle.
public enum Binaries {
    public static func url(_ name: String) -> URL {
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for candidate in [bundle, bundle.deletingLastPathComponent()] {
            let url = candidate.appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug/\(name)")
    }
}

/// What a tool printed and how it ended.
public struct ToolResult: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
}

/// Runs one of the package's tools (or an absolute path) to completion, with optional standard
/// input; killed if it outlives `timeout`.
///
/// Spawned and reaped directly (posix_spawn, waitpid) with output going to files: a tool that
/// leaves a daemon behind (dhclient forks one once it has a lease) keeps inherited descriptors
/// open, and Foundation's Process would then never report the tool's own exit.
public func runTool(_ name: String, _ arguments: [String], stdin: String? = nil, timeout: Duration = .seconds(60)) throws -> ToolResult {
    let executable = name.hasPrefix("/") ? name : Binaries.url(name).path
    let base = FileManager.default.temporaryDirectory.appendingPathComponent("tool-\(UUID().uuidString)")
    let inURL = base.appendingPathExtension("stdin"), outURL = base.appendingPathExtension("stdout"), errURL = base.appendingPathExtension("stderr")
    FileManager.default.createFile(atPath: inURL.path, contents: Data((stdin ?? "").utf8))
    defer { for url in [inURL, outURL, errURL] { try? FileManager.default.removeItem(at: url) } }

    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, inURL.path, O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, outURL.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    posix_spawn_file_actions_addopen(&actions, 2, errURL.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    // The child starts with no signal blocked and default handlers, whatever thread spawns it
    // (libdispatch's threads block signals, and a child inherits the mask).
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
    guard spawned == 0 else { throw ToolError("cannot start \(executable): \(String(cString: strerror(spawned)))") }

    let deadline = ContinuousClock.now + timeout
    var status: Int32 = 0
    var killed = false
    while true {
        let reaped = waitpid(pid, &status, WNOHANG)
        if reaped == pid { break }
        if reaped < 0 { throw ToolError("waitpid failed for \(executable)") }
        if !killed, ContinuousClock.now > deadline {
            kill(pid, SIGKILL)
            killed = true
        }
        usleep(2_000)
    }
    // WIFEXITED / WEXITSTATUS / WTERMSIG, which Swift does not import as functions.
    let exitStatus: Int32 = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
    return ToolResult(status: exitStatus,
                      stdout: (try? String(contentsOf: outURL, encoding: .utf8)) ?? "",
                      stderr: (try? String(contentsOf: errURL, encoding: .utf8)) ?? "")
}

public struct ToolError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
