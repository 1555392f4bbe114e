#if canImport(Glibc)
import Glibc
#endif
import ClusterTestSupport
import Foundation

/// The real `tc-healthd` binary running as a child process, for tests that check it the way an
/// operator runs it. Every wait is bounded and polls, never blocking a thread the in-test
/// servers need; `kill()` in a `defer` guarantees no child outlives its test.
final class AgentProcess: @unchecked Sendable {
    // @unchecked: `output` is read and written under `lock` only; the rest is immutable.
    private let process: SpawnedProcess
    private let errorURL: URL
    private let lock = NSLock()
    private var output: [UInt8] = []

    /// The binary next to the test bundle (`.build/<triple>/debug/`), or, for a bundle inside
    /// a directory of its own, one level up; else `.build/debug` of this package.
    static func binaryPath() throws -> String {
        let url = Binaries.url("tc-healthd")
        guard FileManager.default.isExecutableFile(atPath: url.path) else {
            throw TestFailure("tc-healthd not found at \(url.path) (run `swift build --product tc-healthd`)")
        }
        return url.path
    }

    init(arguments: [String]) throws {
        errorURL = FileManager.default.temporaryDirectory.appendingPathComponent("tc-healthd-\(UUID().uuidString).log")
        process = try SpawnedProcess(executable: try Self.binaryPath(), arguments: arguments,
                                     stdout: .pipe, stderr: .file(errorURL.path))
    }

    deinit {
        try? FileManager.default.removeItem(at: errorURL)
    }

    /// Waits until the agent's stderr contains `text`, or the agent ends without it.
    func waitForStandardError(containing text: String, within limit: Duration = .seconds(15)) async throws -> Bool {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if standardError.contains(text) { return true }
            if !process.isRunning { return standardError.contains(text) }
            try await Task.sleep(for: .milliseconds(10))
        }
        return standardError.contains(text)
    }

    /// Everything the agent wrote to stderr so far (its log).
    var standardError: String { (try? String(contentsOf: errorURL, encoding: .utf8)) ?? "" }

    /// Waits for the stdout line saying the agent listens, and returns it.
    func waitUntilListening(within limit: Duration = .seconds(30)) async throws -> String {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            let text = lock.withLock { String(decoding: output, as: UTF8.self) }
            if let line = text.split(separator: "\n").first(where: { $0.contains(" listening on ") }) { return String(line) }
            guard let chunk = process.readOutput(waitingUpTo: 0) else {
                throw TestFailure("tc-healthd exited before listening; stderr:\n\(standardError)")
            }
            if chunk.isEmpty { try await Task.sleep(for: .milliseconds(10)) }
            lock.withLock { output.append(contentsOf: chunk) }
        }
        throw TestTimedOut(limit: limit)
    }

    /// The exit status (128 + signal number for a signal), waiting at most `limit`.
    func waitForExit(within limit: Duration = .seconds(15)) async throws -> Int32 {
        guard let status = await process.wait(timeout: limit) else { throw TestTimedOut(limit: limit) }
        return status
    }

    /// Asks for a graceful shutdown, as systemd does.
    func terminate() {
        process.signal(SIGTERM)
    }

    /// Ends the child whatever its state, and reaps it; for `defer`.
    func kill() {
        process.signal(SIGKILL)
        process.waitBlocking(timeout: .seconds(5))
    }
}
