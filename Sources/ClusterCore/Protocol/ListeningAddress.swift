import NIOCore

/// The address a `LineServer` ends up bound to, published once by `run()` and awaited by
/// anyone who needs it (tests binding port 0, a daemon announcing itself).
actor ListeningAddress {
    private enum State {
        case waiting([UInt64: CheckedContinuation<SocketAddress, any Error>])
        case bound(SocketAddress)
        case finished(any Error)
    }

    private var state = State.waiting([:])
    private var nextWaiter: UInt64 = 0

    /// The bound address; suspends until `run()` has bound, throws if it failed or stopped,
    /// and throws `CancellationError` if the waiting task is cancelled first.
    func value() async throws -> SocketAddress {
        switch state {
        case .bound(let address):
            return address
        case .finished(let error):
            throw error
        case .waiting:
            let waiter = nextWaiter
            nextWaiter += 1
            return try await withTaskCancellationHandler {
                // Runs on this actor before suspending: a cancellation that came earlier is
                // seen here, one that comes later finds the waiter registered.
                try await withCheckedThrowingContinuation { continuation in
                    guard !Task.isCancelled, case .waiting(var waiters) = state else {
                        continuation.resume(throwing: CancellationError())
                        return
                    }
                    waiters[waiter] = continuation
                    state = .waiting(waiters)
                }
            } onCancel: {
                Task { await self.cancel(waiter) }
            }
        }
    }

    func publish(_ address: SocketAddress) {
        guard case .waiting(let waiters) = state else { return }
        state = .bound(address)
        waiters.values.forEach { $0.resume(returning: address) }
    }

    /// Ends the slot: waiting and later callers get `error`.
    func finish(_ error: any Error) {
        if case .waiting(let waiters) = state {
            waiters.values.forEach { $0.resume(throwing: error) }
        }
        state = .finished(error)
    }

    private func cancel(_ waiter: UInt64) {
        guard case .waiting(var waiters) = state, let continuation = waiters.removeValue(forKey: waiter) else { return }
        state = .waiting(waiters)
        continuation.resume(throwing: CancellationError())
    }
}
