/// Thrown by `withTimeout` when the body takes too long.
public struct TestTimedOut: Error, CustomStringConvertible {
    public let limit: Duration
    public init(limit: Duration) { self.limit = limit }
    public var description: String { "test step did not finish within \(limit)" }
}

/// Runs `body`, failing with `TestTimedOut` after `limit`: every wait in the tests is bounded.
public func withTimeout<T: Sendable>(
    _ limit: Duration = .seconds(20),
    _ body: @escaping @Sendable () async throws -> T
) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask(operation: body)
        group.addTask {
            try await Task.sleep(for: limit)
            throw TestTimedOut(limit: limit)
        }
        defer { group.cancelAll() }
        guard let first = try await group.next() else { throw TestTimedOut(limit: limit) }
        return first
    }
}
