import Prometheus
import Synchronization

/// Counters of one registry by metric and label value, made once and kept, with their counts
/// readable in-process (for `STATUS`, shutdown logs and tests).
///
/// Making a counter looks it up in the registry by name and labels under the registry's lock:
/// too slow for a packet or request path, which only needs the counter itself.
public final class LabeledCounters: Sendable {
    public let registry: PrometheusCollectorRegistry
    private let counters = Mutex<[String: (counter: Counter, count: Int)]>([:])

    public init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
    }

    /// Adds `amount` to the series `descriptor{label="value"}`; 0 creates it, so that a scrape
    /// shows every known series before its first event.
    public func add(_ amount: Int = 1, to descriptor: MetricNameDescriptor, _ label: String, _ value: String) {
        let key = "\(descriptor.metricName).\(value)"
        let counter = counters.withLock { counters in
            if let entry = counters[key] {
                counters[key] = (entry.counter, entry.count + amount)
                return entry.counter
            }
            let counter = registry.makeCounter(descriptor: descriptor, labels: [(label, value)])
            counters[key] = (counter, amount)
            return counter
        }
        if amount > 0 { counter.increment(by: Int64(amount)) }
    }

    /// Counts by `<metric name>.<label value>`.
    public func snapshot() -> [String: Int] { counters.withLock { $0.mapValues(\.count) } }

    /// Counts of one metric, by label value.
    public func counts(of descriptor: MetricNameDescriptor) -> [String: Int] {
        let prefix = descriptor.metricName + "."
        return counters.withLock { counters in
            Dictionary(uniqueKeysWithValues: counters.compactMap { key, entry in
                key.hasPrefix(prefix) ? (String(key.dropFirst(prefix.count)), entry.count) : nil
            })
        }
    }
}
