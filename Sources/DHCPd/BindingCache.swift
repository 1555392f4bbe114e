import ClusterCore
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// The binding table the packet path reads, kept current from the node's directory replica.
///
/// The packet path only takes a lock to copy the current table (a few reference counts); the
/// directory is read here, on a task of its own, each time another process (tc-lbd, tcctl)
/// commits to it. A directory that cannot be read leaves the last good table in place: a boot
/// server keeps answering its clients while the replica is repaired.
final class BindingCache: Service, Sendable {
    private let current = Mutex(BindingTable())
    private let path: String
    private let interval: Duration
    private let metrics: DHCPMetrics
    private let logger: Logger

    init(path: String, interval: Duration, metrics: DHCPMetrics, logger: Logger) {
        self.path = path
        self.interval = interval
        self.metrics = metrics
        self.logger = logger
    }

    var table: BindingTable { current.withLock { $0 } }

    /// Opens the replica (waiting for it to be created if this node's tc-lbd has not made it
    /// yet) and reloads on every commit until cancelled.
    func run() async throws {
        await cancelWhenGracefulShutdown { [self] in
            var warned = false
            while !Task.isCancelled {
                do {
                    let directory = try Directory.open(path: path, access: .readOnly)
                    try await follow(directory)
                    return
                } catch is CancellationError {
                    return
                } catch {
                    metrics.reloadFailed()
                    if !warned {
                        logger.warning("cannot read the directory; answering from the last bindings loaded, retrying",
                                       metadata: ["path": "\(path)", "error": "\(error)"])
                        warned = true
                    }
                    try? await Task.sleep(for: interval)
                }
            }
        }
    }

    /// Loads the table now (before the sockets open, so the first request is answered).
    func loadNow() {
        do {
            let directory = try Directory.open(path: path, access: .readOnly)
            try install(BindingTable(directory: directory))
        } catch {
            logger.warning("no bindings loaded at start", metadata: ["path": "\(path)", "error": "\(error)"])
        }
    }

    private func follow(_ directory: Directory) async throws {
        for try await _ in directory.commits(every: interval) {
            try install(BindingTable(directory: directory))
        }
    }

    private func install(_ table: BindingTable) throws {
        let previous = current.withLock { old in
            defer { old = table }
            return old
        }
        metrics.loaded(bindings: table.count)
        if previous.revision != table.revision || previous.count != table.count {
            logger.info("bindings loaded", metadata: [
                "bindings": "\(table.count)", "loadBalancers": "\(table.loadBalancers.count)", "commit": "\(table.revision)",
            ])
        }
    }
}
