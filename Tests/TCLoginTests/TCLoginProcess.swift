import Foundation

/// Runs the real tc-login binary as a child process.
///
/// The child is waited for on a thread of its own, never on the test's task: the in-test load
/// balancers answer from the same cooperative thread pool, and blocking it would stall them.
struct TCLoginProcess {
    struct Result: Sendable {
        var status: Int32
        var stdout: String
        var stderr: String
        /// True when the child was killed because it outlived the timeout.
        var timedOut: Bool
    }

    /// The tc-login built next to this test bundle, else the package's debug build.
    static var binary: URL {
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for candidate in [bundle, bundle.deletingLastPathComponent()] {
            let url = candidate.appendingPathComponent("tc-login")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug/tc-login")
    }

    let process = Process()
    private let input = Pipe(), output = Pipe(), errors = Pipe()

    /// Starts tc-login with `arguments`; `stdin` is written and then closed (end of input).
    init(_ arguments: [String], stdin: String) throws {
        process.executableURL = Self.binary
        process.arguments = arguments
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        input.fileHandleForWriting.write(Data(stdin.utf8))
        try input.fileHandleForWriting.close()
    }

    /// Waits for the child to exit. If it outlives `timeout` it gets SIGTERM, which tc-login
    /// passes on to a running display command, and SIGKILL 5 s later.
    func finish(timeout: Duration = .seconds(30)) async -> Result {
        let process = self.process, output = self.output, errors = self.errors
        return await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                let watchdog = Watchdog(process: process, timeout: timeout)
                let errorText = PipeReader(errors.fileHandleForReading)
                let outData = output.fileHandleForReading.readDataToEndOfFile()
                process.waitUntilExit()
                continuation.resume(returning: Result(
                    status: process.terminationStatus,
                    stdout: String(decoding: outData, as: UTF8.self),
                    stderr: errorText.wait(),
                    timedOut: watchdog.fired
                ))
            }
        }
    }

    /// Sends `signal` to the child if it still runs.
    func send(_ signal: Int32) {
        if process.isRunning { kill(process.processIdentifier, signal) }
    }

    /// Kills the child if it still runs: for `defer`, when a test fails before `finish`.
    func stop() {
        send(SIGKILL)
    }

    /// Runs tc-login to completion.
    static func run(_ arguments: [String], stdin: String, timeout: Duration = .seconds(30)) async throws -> Result {
        try await TCLoginProcess(arguments, stdin: stdin).finish(timeout: timeout)
    }
}

/// Reads a pipe to its end on its own thread, so that neither pipe of a child can fill up
/// and block it while the other is read.
private final class PipeReader: @unchecked Sendable {
    // @unchecked: `data` is written once by the reading thread before `done` is signalled,
    // and read only after waiting on `done`.
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle) {
        Thread.detachNewThread { [self] in
            data = handle.readDataToEndOfFile()
            done.signal()
        }
    }

    func wait() -> String {
        done.wait()
        return String(decoding: data, as: UTF8.self)
    }
}

/// Stops a child that outlives its time: SIGTERM first, so tc-login can stop its display
/// command, then SIGKILL.
private final class Watchdog: @unchecked Sendable {
    // @unchecked: `didFire` is read and written under `lock` only.
    private let lock = NSLock()
    private var didFire = false

    init(process: Process, timeout: Duration) {
        let deadline = ContinuousClock.now + timeout
        Thread.detachNewThread { [self] in
            while process.isRunning, ContinuousClock.now < deadline { Thread.sleep(forTimeInterval: 0.02) }
            guard process.isRunning else { return }
            lock.withLock { didFire = true }
            kill(process.processIdentifier, SIGTERM)
            let killAt = ContinuousClock.now + .seconds(5)
            while process.isRunning, ContinuousClock.now < killAt { Thread.sleep(forTimeInterval: 0.02) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
    }

    var fired: Bool { lock.withLock { didFire } }
}
