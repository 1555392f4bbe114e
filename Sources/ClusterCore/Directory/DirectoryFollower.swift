import Logging
import ServiceLifecycle
import Synchronization

/// An in-memory snapshot of the node's directory replica, rebuilt on every commit, for daemons
/// that only read it (tc-dhcpd, tc-tftpd) and must never wait on SQLite on their packet path.
///
/// The snapshot is swapped whole under a lock; readers copy the current one. A replica that
/// cannot be read leaves the last good snapshot in place: a boot server keeps answering while
/// the replica is repaired. A replica that does not exist yet (this node's tc-lbd has not made
/// it) is waited for.
public final class DirectoryFollower<Snapshot: Sendable>: Service, Sendable {
    private let current: Mutex<Snapshot>
    private let path: String
    private let interval: Duration
    private let build: @Sendable (Directory) throws -> Snapshot
    private let loaded: @Sendable (Snapshot, _ changed: Bool) -> Void
    private let failed: @Sendable () -> Void
    private let logger: Logger

    /// - Parameters:
    ///   - empty: the snapshot served before the first load.
    ///   - build: reads a snapshot from the replica.
    ///   - loaded: told of each snapshot installed, and whether the commit counter moved.
    ///   - failed: told of each failed attempt to read the replica.
    public init(path: String, interval: Duration, empty: Snapshot, logger: Logger,
                build: @escaping @Sendable (Directory) throws -> Snapshot,
                loaded: @escaping @Sendable (Snapshot, _ changed: Bool) -> Void = { _, _ in },
                failed: @escaping @Sendable () -> Void = {}) {
        current = Mutex(empty)
        self.path = path
        self.interval = interval
        self.build = build
        self.loaded = loaded
        self.failed = failed
        self.logger = logger
    }

    public var snapshot: Snapshot { current.withLock { $0 } }

    /// Loads the snapshot now, before the daemon opens its sockets, so the first request is
    /// answered from the directory.
    public func loadNow() {
        do {
            let directory = try Directory.open(path: path, access: .readOnly)
            install(try build(directory), changed: true)
        } catch {
            failed()
            logger.warning("directory not loaded at start", metadata: ["path": "\(path)", "error": "\(error)"])
        }
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown { [self] in
            var warned = false
            while !Task.isCancelled {
                do {
                    let directory = try Directory.open(path: path, access: .readOnly)
                    var first = true
                    for try await _ in directory.commits(every: interval) {
                        install(try build(directory), changed: !first)
                        first = false
                    }
                    return
                } catch is CancellationError {
                    return
                } catch {
                    failed()
                    if !warned {
                        logger.warning("cannot read the directory; answering from the last snapshot, retrying",
                                       metadata: ["path": "\(path)", "error": "\(error)"])
                        warned = true
                    }
                    try? await Task.sleep(for: interval)
                }
            }
        }
    }

    private func install(_ snapshot: Snapshot, changed: Bool) {
        current.withLock { $0 = snapshot }
        loaded(snapshot, changed)
    }
}
