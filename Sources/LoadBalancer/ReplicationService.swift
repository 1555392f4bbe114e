import ClusterCore
import ServiceLifecycle

/// Runs replication: an exchange with every peer at start (a load balancer that was down
/// catches up before long), then every anti-entropy interval — pull what this replica lacks,
/// push back what the peer lacks — and pushes of local writes as they happen,
/// handed over through `PushQueue` so admin requests never wait for peers.
struct ReplicationService: Service {
    let replicator: Replicator
    let interval: Duration
    let pushes: PushQueue

    func run() async throws {
        try await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    for await delta in pushes.stream { await replicator.push(delta) }
                }
                group.addTask {
                    while !Task.isCancelled {
                        await replicator.pullFromAll()
                        try? await Task.sleep(for: interval)
                    }
                }
                await group.next()
                group.cancelAll()
            }
        }
    }
}

/// Local writes waiting to be pushed to the peers. Unbounded by count but not in practice:
/// admin writes are rare and each push is quick; if peers are down, pushes fail fast (refused)
/// or time out, and the queue drains.
struct PushQueue: Sendable {
    let stream: AsyncStream<DirectoryDelta>
    private let continuation: AsyncStream<DirectoryDelta>.Continuation

    init() {
        (stream, continuation) = AsyncStream.makeStream(of: DirectoryDelta.self, bufferingPolicy: .bufferingNewest(1024))
    }

    func enqueue(_ delta: DirectoryDelta) { continuation.yield(delta) }
}
