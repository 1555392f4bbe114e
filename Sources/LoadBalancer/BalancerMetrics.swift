import ClusterCore
import Prometheus

/// The load balancer's Prometheus metrics, on its own registry (served by `MetricsServer`), plus
/// the decision counts that `STATUS` reports.
final class BalancerMetrics: Sendable {
    let registry: PrometheusCollectorRegistry
    private let counters: LabeledCounters
    private let latency: DurationHistogram

    private static var decisions: MetricNameDescriptor {
        MetricNameDescriptor(namespace: "tc_lbd", metricName: "decisions", unitName: "total", helpText: "SERVER requests answered, by outcome.")
    }
    private static var exchanges: MetricNameDescriptor {
        MetricNameDescriptor(namespace: "tc_lbd", metricName: "replication_exchanges", unitName: "total", helpText: "Directory pulls and pushes with peers.")
    }
    private static var alive: MetricNameDescriptor {
        MetricNameDescriptor(namespace: "tc_lbd", metricName: "server_alive", unitName: "", helpText: "1 when the server's health agent answered the last poll.")
    }
    private static var load: MetricNameDescriptor {
        MetricNameDescriptor(namespace: "tc_lbd", metricName: "server_load1", unitName: "", helpText: "The server's 1-minute load average, as last reported.")
    }
    private static var sessions: MetricNameDescriptor {
        MetricNameDescriptor(namespace: "tc_lbd", metricName: "server_sessions", unitName: "", helpText: "Interactive sessions on the server, as last reported.")
    }
    private static var closed: MetricNameDescriptor {
        MetricNameDescriptor(namespace: "tc_lbd", metricName: "server_draining", unitName: "", helpText: "1 when the server takes no new sessions (draining or disabled).")
    }

    init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        counters = LabeledCounters(registry: registry)
        latency = registry.makeDurationHistogram(
            descriptor: MetricNameDescriptor(namespace: "tc_lbd", metricName: "decision_duration", unitName: "seconds",
                                             helpText: "Time to answer one SERVER request, from parsing to the chosen address."),
            buckets: [.microseconds(50), .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1),
                      .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(50)])
    }

    /// Counts one answered `SERVER` request by outcome: `assigned`, `reconnected`,
    /// `unknown-user`, `no-live-server`, `rate-limited`, `invalid`.
    func decision(_ outcome: String, duration: Duration? = nil) {
        counters.add(to: Self.decisions, "outcome", outcome)
        if let duration { latency.record(duration) }
    }

    func decisions() -> [String: Int] { counters.counts(of: Self.decisions) }

    func replication(_ direction: String, peer: String, ok: Bool) {
        registry.makeCounter(descriptor: Self.exchanges, labels: [("direction", direction), ("peer", peer), ("result", ok ? "ok" : "error")])
            .increment()
    }

    func recordServers(_ observations: [String: HealthBoard.Observation], servers: [Server]) {
        for server in servers {
            let observation = observations[server.name]
            let labels = [("server", server.name)]
            registry.makeGauge(descriptor: Self.alive, labels: labels).set(observation?.alive == true ? 1.0 : 0.0)
            if let report = observation?.report {
                registry.makeGauge(descriptor: Self.load, labels: labels).set(report.load1)
                registry.makeGauge(descriptor: Self.sessions, labels: labels).set(Double(report.sessions))
            }
            let open = server.state == .active && observation?.report?.state != .draining
            registry.makeGauge(descriptor: Self.closed, labels: labels).set(open ? 0.0 : 1.0)
        }
    }
}
