import GRDB

extension Directory {
    /// A number that grows with every committed change to this file, by any process. Local and
    /// not replicated: it only tells a reader that it should reload.
    public func commitCounter() throws(DirectoryError) -> Int64 {
        try read { db in
            try Int64.fetchOne(db, sql: "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'commits'") ?? 0
        }
    }

    static func countCommit(_ db: Database) throws {
        try db.execute(sql: """
            INSERT INTO meta (key, value) VALUES ('commits', '1')
            ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT)
            """)
    }

    /// Yields the commit counter each time another transaction has committed, checking every
    /// `interval`. A process that holds the directory read-only (the DHCP daemon) reloads its
    /// cache from here instead of querying SQLite on its packet path. Polling one indexed row is
    /// cheaper and simpler than inotify on a WAL file, whose writes do not map to commits.
    public func commits(every interval: Duration) -> AsyncThrowingStream<Int64, any Error> {
        AsyncThrowingStream { continuation in
            let task = Task {
                var last: Int64? = nil
                while !Task.isCancelled {
                    do {
                        let now = try commitCounter()
                        if now != last {
                            last = now
                            continuation.yield(now)
                        }
                        try await Task.sleep(for: interval)
                    } catch is CancellationError {
                        break
                    } catch {
                        continuation.finish(throwing: error)
                        return
                    }
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}
