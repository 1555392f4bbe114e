import ClusterCore
import Prometheus

/// tc-tftpd's Prometheus metrics on its own registry: transfers by outcome, requests refused
/// by reason, packets dropped, bytes sent, transfers in progress and cache use.
final class TFTPMetrics: Sendable {
    let registry: PrometheusCollectorRegistry
    private let counters: LabeledCounters
    private let activeGauge: Gauge
    private let cacheGauge: Gauge
    private let bytesCounter: Counter

    private static var transfers: MetricNameDescriptor {
        MetricNameDescriptor(namespace: "tc_tftpd", metricName: "transfers", unitName: "total", helpText: "Transfers by outcome: started, completed, or the reason they failed.")
    }
    private static var refused: MetricNameDescriptor {
        MetricNameDescriptor(namespace: "tc_tftpd", metricName: "refused", unitName: "total", helpText: "Requests answered with an error, by reason.")
    }
    private static var lookups: MetricNameDescriptor {
        MetricNameDescriptor(namespace: "tc_tftpd", metricName: "cache_lookups", unitName: "total", helpText: "File cache lookups, by result (hit: no disk read).")
    }
    private static var dropped: MetricNameDescriptor {
        MetricNameDescriptor(namespace: "tc_tftpd", metricName: "dropped", unitName: "total", helpText: "Packets dropped, by reason.")
    }

    init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        counters = LabeledCounters(registry: registry)
        activeGauge = registry.makeGauge(descriptor: MetricNameDescriptor(
            namespace: "tc_tftpd", metricName: "active_transfers", unitName: "", helpText: "Transfers in progress."))
        cacheGauge = registry.makeGauge(descriptor: MetricNameDescriptor(
            namespace: "tc_tftpd", metricName: "cache", unitName: "bytes", helpText: "File contents held in memory."))
        bytesCounter = registry.makeCounter(descriptor: MetricNameDescriptor(
            namespace: "tc_tftpd", metricName: "sent", unitName: "bytes_total", helpText: "File bytes in DATA packets sent, retransmissions included."))
        for outcome in ["started"] + Transfer.Outcome.allCases.map(\.rawValue) {
            count(Self.transfers, "outcome", outcome, add: 0)
        }
    }

    func transfer(_ outcome: String) { count(Self.transfers, "outcome", outcome) }
    func refused(_ reason: String) { count(Self.refused, "reason", reason) }
    func dropped(_ reason: String) { count(Self.dropped, "reason", reason) }
    func rendered() { count(Self.lookups, "result", "template") }
    func cacheLookup(hit: Bool) { count(Self.lookups, "result", hit ? "hit" : "miss") }
    func sent(bytes: Int) { bytesCounter.increment(by: Int64(bytes)) }
    func active(_ count: Int) { activeGauge.set(to: Double(count)) }
    func cache(bytes: Int) { cacheGauge.set(to: Double(bytes)) }

    /// Counts by series (`transfers.completed`, `refused.not-found`, ...), for logs and tests.
    func snapshot() -> [String: Int] { counters.snapshot() }

    private func count(_ descriptor: MetricNameDescriptor, _ label: String, _ value: String, add: Int = 1) {
        counters.add(add, to: descriptor, label, value)
    }
}
