import ClusterCore
import Prometheus

/// tc-dhcpd's Prometheus metrics, on its own registry (served by `MetricsServer`): messages
/// received and sent by type, requests ignored by reason, packets dropped as malformed by
/// parse error, and the bindings in use.
final class DHCPMetrics: Sendable {
    let registry: PrometheusCollectorRegistry
    private let counters: LabeledCounters

    private static var received: MetricNameDescriptor { MetricNameDescriptor(
        namespace: "tc_dhcpd", metricName: "received", unitName: "total", helpText: "Well-formed requests received, by DHCP message type.") }
    private static var sent: MetricNameDescriptor { MetricNameDescriptor(
        namespace: "tc_dhcpd", metricName: "sent", unitName: "total", helpText: "Replies sent, by DHCP message type.") }
    private static var ignored: MetricNameDescriptor { MetricNameDescriptor(
        namespace: "tc_dhcpd", metricName: "ignored", unitName: "total", helpText: "Well-formed requests not answered, by reason.") }
    private static var dropped: MetricNameDescriptor { MetricNameDescriptor(
        namespace: "tc_dhcpd", metricName: "dropped", unitName: "total", helpText: "Packets dropped before any decision, by reason.") }
    private static var bindings: MetricNameDescriptor { MetricNameDescriptor(
        namespace: "tc_dhcpd", metricName: "bindings", unitName: "", helpText: "Static bindings loaded from the directory.") }
    private static var reloads: MetricNameDescriptor { MetricNameDescriptor(
        namespace: "tc_dhcpd", metricName: "reloads", unitName: "total", helpText: "Binding table reloads from the directory, by result.") }

    init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        counters = LabeledCounters(registry: registry)
        // Created at start so that a scrape shows every series at zero rather than nothing.
        for type in ["discover", "request", "inform", "release", "decline"] { count(Self.received, "type", type, add: 0) }
        for type in ["offer", "ack", "nak"] { count(Self.sent, "type", type, add: 0) }
        for reason in IgnoreReason.allCases { count(Self.ignored, "reason", reason.rawValue, add: 0) }
        registry.makeGauge(descriptor: Self.bindings).set(to: 0.0)
    }

    func received(_ type: DHCPMessageType) { count(Self.received, "type", Self.name(of: type)) }
    func sent(_ type: DHCPMessageType) { count(Self.sent, "type", Self.name(of: type)) }
    func ignored(_ reason: IgnoreReason) { count(Self.ignored, "reason", reason.rawValue) }
    /// `reason` is a parse error's kind (`truncated-header`, ...) or `send-failed`.
    func dropped(_ reason: String) { count(Self.dropped, "reason", reason) }

    func loaded(bindings count: Int) {
        registry.makeGauge(descriptor: Self.bindings).set(to: Double(count))
        self.count(Self.reloads, "result", "ok")
    }

    func reloadFailed() { count(Self.reloads, "result", "error") }

    /// The counts by series (`sent.ack`, `ignored.unknown-client`, ...), for the status line
    /// logged at shutdown and for tests.
    func snapshot() -> [String: Int] { counters.snapshot() }

    private func count(_ descriptor: MetricNameDescriptor, _ label: String, _ value: String, add: Int = 1) {
        counters.add(add, to: descriptor, label, value)
    }

    static func name(of type: DHCPMessageType) -> String {
        switch type {
        case .discover: "discover"
        case .offer: "offer"
        case .request: "request"
        case .decline: "decline"
        case .ack: "ack"
        case .nak: "nak"
        case .release: "release"
        case .inform: "inform"
        default: "type-\(type.rawValue)"
        }
    }
}
