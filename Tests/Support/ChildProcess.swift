import Foundation

/// A real daemon or tool started by a test: stdout read line by line, stderr kept in a log file
/// for failure reports, killed for sure when the test ends.
public final class ChildProcess: @unchecked Sendable {
    // @unchecked: `buffer` is read and written under `lock` only.
    public let name: String
    public let process: SpawnedProcess
    public let logURL: URL
    private var buffer: [UInt8] = []
    private let lock = NSLock()

    public init(name: String, executable: URL, arguments: [String], logDirectory: URL) throws {
        self.name = name
        logURL = logDirectory.appendingPathComponent("\(name).log")
        process = try SpawnedProcess(executable: executable.path, arguments: arguments,
                                     stdin: .pipe, stdout: .pipe, stderr: .file(logURL.path))
    }

    public var pid: Int32 { process.pid }
    public var isRunning: Bool { process.isRunning }

    public func write(_ text: String) { process.write(text) }

    public func closeInput() { process.closeInput() }

    /// The next stdout line, or nil when none arrives within `timeout` or the process ended.
    public func nextLine(timeout: Duration = .seconds(15)) -> String? {
        lock.lock()
        defer { lock.unlock() }
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let newline = buffer.firstIndex(of: 0x0A) {
                let line = String(decoding: buffer[..<newline], as: UTF8.self)
                buffer.removeSubrange(...newline)
                return line
            }
            guard let chunk = process.readOutput(waitingUpTo: 50) else { return nil }
            buffer.append(contentsOf: chunk)
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

    public func signal(_ signal: Int32) { process.signal(signal) }

    /// Waits for the process to exit, up to `timeout`; its status, or nil if it is still running.
    @discardableResult
    public func waitForExit(timeout: Duration = .seconds(10)) -> Int32? {
        process.waitBlocking(timeout: timeout)
    }

    /// SIGTERM, then SIGKILL if it lingers.
    public func stop() { process.terminate() }

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
/// input; killed if it outlives `timeout`. Output goes to files, not pipes, so a tool's output
/// never blocks it, and the exit is the tool's own even when it leaves a daemon behind.
public func runTool(_ name: String, _ arguments: [String], stdin: String? = nil, timeout: Duration = .seconds(60)) throws -> ToolResult {
    let executable = name.hasPrefix("/") ? name : Binaries.url(name).path
    let base = FileManager.default.temporaryDirectory.appendingPathComponent("tool-\(UUID().uuidString)")
    let inURL = base.appendingPathExtension("stdin"), outURL = base.appendingPathExtension("stdout"), errURL = base.appendingPathExtension("stderr")
    _ = FileManager.default.createFile(atPath: inURL.path, contents: Data((stdin ?? "").utf8))
    defer { for url in [inURL, outURL, errURL] { try? FileManager.default.removeItem(at: url) } }
    let process = try SpawnedProcess(executable: executable, arguments: arguments,
                                     stdin: .file(inURL.path), stdout: .file(outURL.path), stderr: .file(errURL.path))
    var status = process.waitBlocking(timeout: timeout)
    if status == nil { status = process.terminate(grace: .seconds(3)) }
    return ToolResult(status: status ?? -1,
                      stdout: (try? String(contentsOf: outURL, encoding: .utf8)) ?? "",
                      stderr: (try? String(contentsOf: errURL, encoding: .utf8)) ?? "")
}

/// `runTool` without blocking a thread of the cooperative pool: for tests whose in-process
/// servers must keep answering while the tool runs.
public func runToolAsync(_ name: String, _ arguments: [String], stdin: String? = nil, timeout: Duration = .seconds(60)) async throws -> ToolResult {
    let executable = name.hasPrefix("/") ? name : Binaries.url(name).path
    let base = FileManager.default.temporaryDirectory.appendingPathComponent("tool-\(UUID().uuidString)")
    let inURL = base.appendingPathExtension("stdin"), outURL = base.appendingPathExtension("stdout"), errURL = base.appendingPathExtension("stderr")
    _ = FileManager.default.createFile(atPath: inURL.path, contents: Data((stdin ?? "").utf8))
    defer { for url in [inURL, outURL, errURL] { try? FileManager.default.removeItem(at: url) } }
    let process = try SpawnedProcess(executable: executable, arguments: arguments,
                                     stdin: .file(inURL.path), stdout: .file(outURL.path), stderr: .file(errURL.path))
    var status = await process.wait(timeout: timeout)
    if status == nil {
        process.signal(SIGTERM)
        status = await process.wait(timeout: .seconds(3))
        if status == nil {
            process.signal(SIGKILL)
            status = await process.wait(timeout: .seconds(5))
        }
    }
    return ToolResult(status: status ?? -1,
                      stdout: (try? String(contentsOf: outURL, encoding: .utf8)) ?? "",
                      stderr: (try? String(contentsOf: errURL, encoding: .utf8)) ?? "")
}

public struct ToolError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
