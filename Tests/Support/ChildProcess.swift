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
/// input; killed if it outlives `timeout`. Output goes to files, not pipes, so a tool's output
/// never blocks it. A tool must not leave a daemon behind: Foundation's Process reports the exit
/// only when every inherited copy of its descriptors is closed (run such tools in the foreground
/// with `ChildProcess` instead).
public func runTool(_ name: String, _ arguments: [String], stdin: String? = nil, timeout: Duration = .seconds(60)) throws -> ToolResult {
    let process = Process()
    process.executableURL = name.hasPrefix("/") ? URL(fileURLWithPath: name) : Binaries.url(name)
    process.arguments = arguments
    let base = FileManager.default.temporaryDirectory.appendingPathComponent("tool-\(UUID().uuidString)")
    let inURL = base.appendingPathExtension("stdin"), outURL = base.appendingPathExtension("stdout"), errURL = base.appendingPathExtension("stderr")
    _ = FileManager.default.createFile(atPath: inURL.path, contents: Data((stdin ?? "").utf8))
    for url in [outURL, errURL] { _ = FileManager.default.createFile(atPath: url.path, contents: nil) }
    defer { for url in [inURL, outURL, errURL] { try? FileManager.default.removeItem(at: url) } }
    process.standardInput = try FileHandle(forReadingFrom: inURL)
    process.standardOutput = try FileHandle(forWritingTo: outURL)
    process.standardError = try FileHandle(forWritingTo: errURL)
    try process.run()
    let deadline = ContinuousClock.now + timeout
    while process.isRunning, ContinuousClock.now < deadline { usleep(2_000) }
    if process.isRunning {
        process.terminate()
        let grace = ContinuousClock.now + .seconds(3)
        while process.isRunning, ContinuousClock.now < grace { usleep(10_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
    process.waitUntilExit()
    return ToolResult(status: process.terminationStatus,
                      stdout: (try? String(contentsOf: outURL, encoding: .utf8)) ?? "",
                      stderr: (try? String(contentsOf: errURL, encoding: .utf8)) ?? "")
}

public struct ToolError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
