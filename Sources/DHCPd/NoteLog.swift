import Logging
import Synchronization

/// Logs a line per key at most once per `interval`, with the count of those held back since:
/// a flood of malformed packets or of unknown clients must not flood the journal too.
final class NoteLog: Sendable {
    private struct Entry {
        var last: ContinuousClock.Instant
        var suppressed: Int
    }

    private let entries = Mutex<[String: Entry]>([:])
    private let interval: Duration
    private let capacity: Int
    private let logger: Logger

    init(interval: Duration, capacity: Int = 4096, logger: Logger) {
        self.interval = interval
        self.capacity = capacity
        self.logger = logger
    }

    func note(_ key: String, level: Logger.Level, _ message: @autoclosure () -> String, metadata: Logger.Metadata = [:]) {
        let now = ContinuousClock.now
        let suppressed: Int? = entries.withLock { entries in
            if var entry = entries[key] {
                guard now - entry.last >= interval else {
                    entry.suppressed += 1
                    entries[key] = entry
                    return nil
                }
                entries[key] = Entry(last: now, suppressed: 0)
                return entry.suppressed
            }
            // Bounded: an attacker cycling through keys resets the memory, not the process.
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[key] = Entry(last: now, suppressed: 0)
            return 0
        }
        guard let suppressed else { return }
        var metadata = metadata
        if suppressed > 0 { metadata["heldBack"] = "\(suppressed)" }
        logger.log(level: level, "\(message())", metadata: metadata)
    }
}
