#if canImport(Glibc)
import Glibc
#endif
import ClusterTestSupport
import Foundation

/// Runs the real tc-login binary as a child process.
///
/// The child is waited for by polling, never by blocking a thread: the in-test load balancers
/// answer from the same cooperative thread pool.
struct TCLoginProcess {
    struct Result: Sendable {
        var status: Int32
        var stdout: String
        var stderr: String
        /// True when the child was killed because it outlived the timeout.
        var timedOut: Bool
    }

    let process: SpawnedProcess
    private let base: URL

    /// Starts tc-login with `arguments`; `stdin` is its whole input (then end of input).
    init(_ arguments: [String], stdin: String) throws {
        base = FileManager.default.temporaryDirectory.appendingPathComponent("tc-login-\(UUID().uuidString)")
        let input = base.appendingPathExtension("stdin")
        _ = FileManager.default.createFile(atPath: input.path, contents: Data(stdin.utf8))
        process = try SpawnedProcess(executable: Binaries.url("tc-login").path, arguments: arguments,
                                     stdin: .file(input.path),
                                     stdout: .file(base.appendingPathExtension("stdout").path),
                                     stderr: .file(base.appendingPathExtension("stderr").path))
    }

    /// Waits for the child to exit. If it outlives `timeout` it gets SIGTERM, which tc-login
    /// passes on to a running display command, and SIGKILL 5 s later.
    func finish(timeout: Duration = .seconds(30)) async -> Result {
        var status = await process.wait(timeout: timeout)
        let timedOut = status == nil
        if timedOut {
            process.signal(SIGTERM)
            status = await process.wait(timeout: .seconds(5))
            if status == nil {
                process.signal(SIGKILL)
                status = await process.wait(timeout: .seconds(5))
            }
        }
        defer { cleanUp() }
        return Result(status: status ?? -1,
                      stdout: read(base.appendingPathExtension("stdout")),
                      stderr: read(base.appendingPathExtension("stderr")),
                      timedOut: timedOut)
    }

    /// Sends `signal` to the child if it still runs.
    func send(_ signal: Int32) {
        process.signal(signal)
    }

    /// Kills the child if it still runs: for `defer`, when a test fails before `finish`.
    func stop() {
        send(SIGKILL)
        process.waitBlocking(timeout: .seconds(5))
        cleanUp()
    }

    private func read(_ url: URL) -> String { (try? String(contentsOf: url, encoding: .utf8)) ?? "" }

    private func cleanUp() {
        for suffix in ["stdin", "stdout", "stderr"] { try? FileManager.default.removeItem(at: base.appendingPathExtension(suffix)) }
    }

    /// Runs tc-login to completion.
    static func run(_ arguments: [String], stdin: String, timeout: Duration = .seconds(30)) async throws -> Result {
        try await TCLoginProcess(arguments, stdin: stdin).finish(timeout: timeout)
    }
}
