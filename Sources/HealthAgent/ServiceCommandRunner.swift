#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Runs `<health.serviceCommand> start|stop <name>` (by default `/bin/systemctl`) as a child
/// process: no shell, so a service name can never become a command; stdin and stdout are
/// /dev/null; the run is bounded by `timeout`, after which the child gets SIGTERM and, if it
/// ignores that, SIGKILL.
///
/// Only the start of stderr is kept, for the answer: `systemctl` says why on its first line.
/// It is read once the child has exited, without blocking, so a grandchild that keeps the pipe
/// open (a service that forks and inherits stderr) cannot hold the request.
struct ServiceCommandRunner: Sendable {
    let command: String
    let timeout: Duration
    /// How long a child that got SIGTERM has before SIGKILL.
    let terminationGrace: Duration

    init(command: String, timeout: Duration = .seconds(30), terminationGrace: Duration = .seconds(2)) {
        self.command = command
        self.timeout = timeout
        self.terminationGrace = terminationGrace
    }

    /// How one run ended.
    enum Outcome: Equatable, Sendable {
        case succeeded
        case exited(status: Int32, firstErrorLine: String)
        case killed(signal: Int32, firstErrorLine: String)
        case timedOut(after: Duration)
        case couldNotStart(String)
    }

    func run(_ action: ServiceAction) async -> Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: command)
        process.arguments = [action.verb.rawValue, action.service]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        let errors = Pipe()
        process.standardError = errors
        defer { try? errors.fileHandleForReading.close() }
        let (events, continuation) = AsyncStream<ChildEvent>.makeStream()
        process.terminationHandler = { _ in continuation.yield(.exited) }
        do {
            try process.run()
        } catch {
            return .couldNotStart(error.localizedDescription)
        }
        let pid = process.processIdentifier
        let limits = (timeout, terminationGrace)
        // The watch runs in a task of its own so that cancelling the request (the agent shutting
        // down) cannot end it half-way: cancellation only brings the deadline forward.
        let watch = Task { await Self.watch(pid: pid, events: events, continuation: continuation, limits: limits) }
        let exitedInTime = await withTaskCancellationHandler {
            await watch.value
        } onCancel: {
            continuation.yield(.deadline)
        }
        guard exitedInTime else { return .timedOut(after: timeout) }
        let firstLine = Self.firstLine(Self.readAvailable(errors.fileHandleForReading.fileDescriptor))
        switch process.terminationReason {
        case .exit where process.terminationStatus == 0:
            return .succeeded
        case .exit:
            return .exited(status: process.terminationStatus, firstErrorLine: firstLine)
        case .uncaughtSignal:
            return .killed(signal: process.terminationStatus, firstErrorLine: firstLine)
        @unknown default:
            return .exited(status: process.terminationStatus, firstErrorLine: firstLine)
        }
    }

    /// What the watch waits for.
    private enum ChildEvent: Sendable {
        case exited, deadline, graceOver, givenUp
    }

    /// True if the child exited before the deadline. Otherwise it gets SIGTERM, then SIGKILL
    /// after the grace period, and the watch waits one more grace period for the exit to be
    /// seen before giving up: every step is bounded, whatever the child does.
    ///
    /// (Foundation learns of the exit when the child's copy of an inherited socket closes;
    /// a grandchild left running in the background delays that, and is why the last wait is
    /// bounded too.)
    private static func watch(pid: Int32, events: AsyncStream<ChildEvent>, continuation: AsyncStream<ChildEvent>.Continuation,
                              limits: (timeout: Duration, grace: Duration)) async -> Bool {
        func after(_ delay: Duration, send event: ChildEvent) -> Task<Void, Never> {
            Task {
                try? await Task.sleep(for: delay)
                continuation.yield(event)
            }
        }
        var timers = [after(limits.timeout, send: .deadline)]
        defer {
            timers.forEach { $0.cancel() }
            continuation.finish()
        }
        var signalled = false
        for await event in events {
            switch event {
            case .exited:
                return !signalled
            case .deadline where !signalled:
                signalled = true
                kill(pid, SIGTERM)
                timers.append(after(limits.grace, send: .graceOver))
            case .graceOver:
                kill(pid, SIGKILL)
                timers.append(after(limits.grace, send: .givenUp))
            case .givenUp:
                return false
            case .deadline:
                continue
            }
        }
        return false
    }

    /// What is in the pipe now, at most 4 KiB, without waiting for more.
    private static func readAvailable(_ descriptor: Int32) -> [UInt8] {
        let flags = fcntl(descriptor, F_GETFL)
        guard flags >= 0, fcntl(descriptor, F_SETFL, flags | O_NONBLOCK) == 0 else { return [] }
        var bytes = [UInt8](repeating: 0, count: 4096)
        var count = 0
        while count < bytes.count {
            let got = bytes.withUnsafeMutableBytes { read(descriptor, $0.baseAddress?.advanced(by: count), $0.count - count) }
            if got < 0, errno == EINTR { continue }
            guard got > 0 else { break }
            count += got
        }
        return Array(bytes[..<count])
    }

    private static func firstLine(_ bytes: [UInt8]) -> String {
        let text = String(decoding: bytes, as: UTF8.self)
        let line = text.split(separator: "\n", omittingEmptySubsequences: true).first.map(String.init) ?? ""
        return line.trimmingCharacters(in: .whitespaces)
    }
}

extension ServiceCommandRunner.Outcome {
    /// How the failure reads in `ERR internal ...`, naming the command that was run.
    func failureMessage(command: String, action: ServiceAction) -> String? {
        let run = "\(command) \(action.verb.rawValue) \(action.service)"
        func withError(_ text: String, _ line: String) -> String { line.isEmpty ? text : "\(text): \(line)" }
        switch self {
        case .succeeded: return nil
        case let .exited(status, line): return withError("\(run) exited with status \(status)", line)
        case let .killed(signal, line): return withError("\(run) was killed by signal \(signal)", line)
        case .timedOut(let limit): return "\(run) did not finish within \(Self.describe(limit)) and was stopped"
        case .couldNotStart(let reason): return "cannot run \(command): \(reason)"
        }
    }

    /// `30 s`, or `300 ms` below a second.
    private static func describe(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        guard seconds < 1 else { return "\(seconds) s" }
        return "\(attoseconds / 1_000_000_000_000_000) ms"
    }
}
