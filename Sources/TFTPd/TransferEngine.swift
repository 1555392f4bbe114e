import Foundation
import Logging
import NIOCore
import Synchronization

/// The transfer loops, one thread each (one per CPU by default), and the hand-off of new
/// transfers to them in turn. Started and stopped by `TFTPServerService`.
final class TransferEngine: Sendable {
    private struct Exits {
        var running = 0
        var waiter: CheckedContinuation<Void, Never>?
    }

    private let loops: [TransferLoop]
    private let nextLoop = Atomic<Int>(0)
    private let exits = Mutex(Exits())

    init(loopCount: Int, metrics: TFTPMetrics, logger: Logger) throws(TransferSocket.OpenError) {
        var loops: [TransferLoop] = []
        for _ in 0..<max(1, loopCount) { loops.append(try TransferLoop(metrics: metrics, logger: logger)) }
        self.loops = loops
    }

    /// Starts one thread per loop.
    func start() {
        exits.withLock { $0.running = loops.count }
        for (index, loop) in loops.enumerated() {
            let thread = Thread { [self] in
                loop.run()
                loopExited()
            }
            thread.name = "tc-tftpd transfers \(index)"
            thread.start()
        }
    }

    /// Gives the transfer to the next loop; false when the engine is stopping.
    func submit(_ transfer: ActiveTransfer) -> Bool {
        let index = nextLoop.add(1, ordering: .relaxed).oldValue
        return loops[index % loops.count].submit(transfer)
    }

    /// Ends every transfer (its client is told the server is shutting down) and returns once
    /// every loop's thread has finished.
    func shutdown() async {
        for loop in loops { loop.requestStop() }
        await withCheckedContinuation { continuation in
            let done = exits.withLock { exits in
                guard exits.running > 0 else { return true }
                exits.waiter = continuation
                return false
            }
            if done { continuation.resume() }
        }
    }

    private func loopExited() {
        let waiter = exits.withLock { exits -> CheckedContinuation<Void, Never>? in
            exits.running -= 1
            guard exits.running == 0 else { return nil }
            defer { exits.waiter = nil }
            return exits.waiter
        }
        waiter?.resume()
    }
}
