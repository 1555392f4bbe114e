import Foundation

/// A continuation that is resumed by whichever comes first, a result from a blocking thread or
/// the task's cancellation, and only once.
///
/// Reading the console and waiting for a child process block a thread; they run on their own
/// threads so that the cooperative pool stays free, and this bridges them back. The result may
/// also arrive before the continuation is installed (a cancellation racing `install`).
final class ResumeOnce<Value: Sendable>: @unchecked Sendable {
    // @unchecked: every stored property is read and written under `lock` only.
    private let lock = NSLock()
    private var continuation: CheckedContinuation<Value, Never>?
    private var result: Value?

    init() {}

    /// Suspends until `resume(with:)` is called, and returns its value.
    func wait() async -> Value {
        await withCheckedContinuation { continuation in
            lock.lock()
            if let result {
                lock.unlock()
                continuation.resume(returning: result)
            } else {
                self.continuation = continuation
                lock.unlock()
            }
        }
    }

    /// Delivers `value` unless a value was delivered already; returns whether this one was.
    @discardableResult
    func resume(with value: Value) -> Bool {
        lock.lock()
        guard result == nil else {
            lock.unlock()
            return false
        }
        result = value
        let waiting = continuation
        continuation = nil
        lock.unlock()
        waiting?.resume(returning: value)
        return true
    }
}
