import CoreMetrics
import DyadConfig
import DyadCore
import Foundation
import Prometheus
import Synchronization
import Telemetry
import Trends

/// `/metrics`: the Prometheus text exposition. Event metrics (polls, fetch durations, bytes,
/// entries, analysis time, full-text fetches, alerts, scheduler lag) arrive through swift-metrics
/// from the `Telemetry` hooks; state metrics (feeds by health, outbox depth, database size,
/// heartbeat age, build info) are read at scrape time.
final class MetricsRoute: Sendable {
    let registry: PrometheusCollectorRegistry
    private let state: StateReader

    /// Histogram buckets: fetches take up to the fetch timeout, analyses well under a millisecond.
    static let fetchBuckets: [Duration] = [.milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1),
                                           .milliseconds(2_500), .seconds(5), .seconds(10), .seconds(30), .seconds(60)]
    static let analysisBuckets: [Duration] = [.microseconds(50), .microseconds(100), .microseconds(250), .microseconds(500),
                                              .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10),
                                              .milliseconds(50), .milliseconds(250)]
    static let detectors = [VolumeSurgeDetector.name, StanceShiftDetector.name, FrameShiftDetector.name,
                            GroupDivergenceDetector.name, NewActorDetector.name]

    init(state: StateReader) {
        self.state = state
        registry = PrometheusCollectorRegistry()
    }

    /// Makes swift-metrics report into this registry (once per process) and registers the
    /// labelled counters that should read 0 before their first event.
    func bootstrap() {
        // swift-metrics allows one bootstrap per process; a second endpoint reports into the first.
        guard Self.claimBootstrap() else { return }
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets = [Telemetry.Name.fetchDuration: Self.fetchBuckets,
                                            Telemetry.Name.analysisDuration: Self.analysisBuckets]
        MetricsSystem.bootstrap(factory)
        for d in Self.detectors { for s in Severity.allCases { _ = CoreMetrics.Counter(label: Telemetry.Name.alerts, dimensions: [("detector", d), ("severity", s.rawValue)]) } }
        for status in FulltextStatus.allCases where status != .pending {
            _ = CoreMetrics.Counter(label: Telemetry.Name.fullTextFetches, dimensions: [("result", status.rawValue)])
        }
        for k in ["new", "updated"] { _ = CoreMetrics.Counter(label: Telemetry.Name.entries, dimensions: [("kind", k)]) }
        _ = CoreMetrics.Timer(label: Telemetry.Name.fetchDuration)
        _ = CoreMetrics.Timer(label: Telemetry.Name.analysisDuration)
        _ = CoreMetrics.Gauge(label: Telemetry.Name.schedulerLag)
        gauge("dyadwatch_build_info", "Always 1; the labels say which build is running.", labels: [("version", ProductInfo.version)]).set(1.0)
    }

    /// A gauge of the exposition, its full name and help text given (no unit suffix added).
    private func gauge(_ name: String, _ help: String, labels: [(String, String)] = []) -> Prometheus.Gauge {
        registry.makeGauge(descriptor: MetricNameDescriptor(metricName: name, unitName: "", helpText: help), labels: labels)
    }

    private static let bootstrapped = Mutex(false)
    /// True for the first caller in the process only.
    private static func claimBootstrap() -> Bool {
        bootstrapped.withLock { done in
            defer { done = true }
            return !done
        }
    }

    func respond() -> RouteReply {
        refreshState()
        return RouteReply(status: .ok, contentType: "text/plain; version=0.0.4; charset=utf-8",
                          body: Data(registry.emitToBuffer()))
    }

    private func refreshState() {
        let snapshot = state.snapshot()
        gauge("dyadwatch_scheduler_heartbeat_age_seconds", "Seconds since the scheduler loop last turned.", labels: []).set(snapshot.heartbeatAge)
        gauge("dyadwatch_database_bytes", "Size of the state database with its WAL.", labels: []).set(Double(snapshot.databaseBytes))
        if let pending = snapshot.outboxPending {
            gauge("dyadwatch_outbox_pending", "Alerts queued but not yet written to every target.", labels: []).set(Double(pending))
        }
        for (health, count) in snapshot.feedsByHealth {
            gauge("dyadwatch_feeds", "Configured feeds by health.", labels: [("health", health)]).set(Double(count))
        }
    }
}
