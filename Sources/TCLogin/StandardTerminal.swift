import Foundation

/// The process's standard input and output: the thin client's console.
struct StandardTerminal: LoginTerminal {
    /// Written with write(2), unbuffered, so a prompt appears before input is awaited even
    /// when standard output is a pipe; a closed output is ignored (nobody is left to read it).
    func write(_ text: String) async {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { Foundation.write(STDOUT_FILENO, $0.baseAddress, $0.count) }
            if written < 0, errno == EINTR { continue }
            guard written > 0 else { return }
            bytes = bytes.dropFirst(written)
        }
    }

    /// Reads on a thread of its own, because a read of the console blocks for as long as nobody
    /// types. On cancellation (SIGTERM) this returns nil at once; the thread stays blocked in
    /// read(2) until the process exits, which it is about to do.
    func readLine() async -> String? {
        guard !Task.isCancelled else { return nil }
        let line = ResumeOnce<String?>()
        return await withTaskCancellationHandler {
            Thread.detachNewThread { line.resume(with: Swift.readLine(strippingNewline: true)) }
            return await line.wait()
        } onCancel: {
            line.resume(with: nil)
        }
    }
}
