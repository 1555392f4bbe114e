import Foundation

/// A real daemon or tool started by a test: stdout read line by line, stderr kept in a log file
/// for failure reports, killed for sure when the test ends.
final class ChildProcess: @unchecked Sendable {
    let name: String
    let process = Process()
    let logURL: URL
    private let stdout = Pipe()
    private let stdin = Pipe()
    private var buffer = Data()
    private let lock = NSLock()

    init(name: String, executable: URL, arguments: [String], logDirectory: URL) throws {
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

    var pid: Int32 { process.processIdentifier }
    var isRunning: Bool { process.isRunning }

    func write(_ text: String) {
        stdin.fileHandleForWriting.write(Data(text.utf8))
    }

    func closeInput() { try? stdin.fileHandleForWriting.close() }

    /// The next stdout line, or nil when none arrives within `timeout` or the process ended.
    func nextLine(timeout: Duration = .seconds(15)) -> String? {
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
    func waitForLine(containing text: String, timeout: Duration = .seconds(15)) -> String? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            guard let line = nextLine(timeout: deadline - .now) else { return nil }
            if line.contains(text) { return line }
        }
        return nil
    }

    func signal(_ signal: Int32) { if process.isRunning { kill(process.processIdentifier, signal) } }

    /// Waits for the process to exit, up to `timeout`; its status, or nil if it is still running.
    @discardableResult
    func waitForExit(timeout: Duration = .seconds(10)) -> Int32? {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning, ContinuousClock.now < deadline { usleep(10_000) }
        return process.isRunning ? nil : process.terminationStatus
    }

    /// SIGTERM, then SIGKILL if it lingers.
    func stop() {
        guard process.isRunning else { return }
        signal(SIGTERM)
        if waitForExit(timeout: .seconds(5)) == nil {
            signal(SIGKILL)
            waitForExit(timeout: .seconds(5))
        }
    }

    var log: String { (try? String(contentsOf: logURL, encoding: .utf8)) ?? "" }
}

/// Where the package's built executables are: next to the test bundle.
enum Binaries {
    static func url(_ name: String) -> URL {
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for candidate in [bundle, bundle.deletingLastPathComponent()] {
            let url = candidate.appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug/\(name)")
    }
}
