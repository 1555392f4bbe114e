#if canImport(Glibc)
import ClusterTestSupport
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// The real `tc-healthd` binary running as a child process, for tests that check it the way an
/// operator runs it. Every wait is bounded; `kill()` in a `defer` guarantees no child outlives
/// its test.
final class AgentProcess: @unchecked Sendable {
    // @unchecked: `process` is configured before `run()` and then only read; the collected
    // output is guarded by `lock`.
    private let process = Process()
    private let lock = NSLock()
    private var output = ""
    private var errors = ""
    private let outputChunks: AsyncStream<String>
    /// One element per chunk of stderr, finished at its end of file.
    private let errorTicks: AsyncStream<Void>
    private let terminations: AsyncStream<Int32>

    /// The binary next to the test bundle (`.build/<triple>/debug/`), or, for a bundle inside
    /// a directory of its own, one level up; else `.build/debug` of this package.
    static func binaryPath() throws -> String {
        let bundleDirectory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let candidates = [
            bundleDirectory.appendingPathComponent("tc-healthd"),
            bundleDirectory.deletingLastPathComponent().appendingPathComponent("tc-healthd"),
            packageRoot.appendingPathComponent(".build/debug/tc-healthd"),
        ]
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw TestFailure("tc-healthd not found (run `swift build --product tc-healthd`); looked at \(candidates.map(\.path))")
        }
        return found.path
    }

    init(arguments: [String]) throws {
        process.executableURL = URL(fileURLWithPath: try Self.binaryPath())
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        let (chunks, chunkContinuation) = AsyncStream<String>.makeStream()
        outputChunks = chunks
        stdout.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            guard !data.isEmpty else {
                handle.readabilityHandler = nil
                chunkContinuation.finish()
                return
            }
            chunkContinuation.yield(String(decoding: data, as: UTF8.self))
        }
        let (exits, exitContinuation) = AsyncStream<Int32>.makeStream()
        terminations = exits
        process.terminationHandler = { process in
            exitContinuation.yield(process.terminationReason == .exit ? process.terminationStatus : -process.terminationStatus)
            exitContinuation.finish()
        }
        let (ticks, tickContinuation) = AsyncStream<Void>.makeStream()
        errorTicks = ticks
        try process.run()
        stderr.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            guard !data.isEmpty else {
                handle.readabilityHandler = nil
                tickContinuation.finish()
                return
            }
            self?.appendError(String(decoding: data, as: UTF8.self))
            tickContinuation.yield()
        }
    }

    /// Waits until the agent's stderr contains `text`, or ends without it; stderr is read on
    /// its own, so a line logged before the stdout announcement may not be here yet.
    func waitForStandardError(containing text: String, within limit: Duration = .seconds(15)) async throws -> Bool {
        let ticks = errorTicks
        return try await withTimeout(limit) { [self] in
            if standardError.contains(text) { return true }
            for await _ in ticks where standardError.contains(text) { return true }
            return standardError.contains(text)
        }
    }

    private func appendError(_ text: String) {
        lock.withLock { errors += text }
    }

    /// Everything the agent wrote to stderr so far (its log).
    var standardError: String { lock.withLock { errors } }

    /// Waits for the stdout line saying the agent listens, and returns it.
    func waitUntilListening(within limit: Duration = .seconds(30)) async throws -> String {
        let chunks = outputChunks
        let line: String? = try await withTimeout(limit) {
            var text = ""
            for await chunk in chunks {
                text += chunk
                if let line = text.split(separator: "\n").first(where: { $0.contains(" listening on ") }) { return String(line) }
            }
            return nil
        }
        guard let line else { throw TestFailure("tc-healthd exited before listening; stderr:\n\(standardError)") }
        return line
    }

    /// The exit status (negative for a signal), waiting at most `limit`.
    /// Call it once: it consumes the exit notification.
    func waitForExit(within limit: Duration = .seconds(15)) async throws -> Int32 {
        let exits = terminations
        // Iterating the stream is cancellable, so the timeout can end the wait.
        let status: Int32? = try await withTimeout(limit) {
            for await status in exits { return status }
            return nil
        }
        guard let status else { throw TestFailure("no exit status") }
        return status
    }

    /// Asks for a graceful shutdown, as systemd does.
    func terminate() {
        process.terminate()
    }

    /// Ends the child whatever its state; for `defer`.
    func kill() {
        if process.isRunning { Glibc.kill(process.processIdentifier, SIGKILL) }
    }
}
