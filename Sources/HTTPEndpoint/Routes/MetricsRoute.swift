import CoreMetrics
import DyadConfig
import DyadCore
import Foundation
import Prometheus
import Telemetry
import Trends

/// `/metrics`: the Prometheus text exposition. Event metrics (polls, fetch durations, bytes,
/// entries, analysis time, full-text fetches, alerts, scheduler lag) arrive through swift-metrics
/// from the `Telemetry` hooks; state metrics (feeds by health, outbox depth, database size,
/// heartbeat age, build info) are read at scrape time.
final class MetricsRoute: @unchecked Sendable {
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
        registry.makeGauge(name: "dyadwatch_build_info", labels: [("version", ProductInfo.version)],
                           help: "Always 1; the labels say which build is running.").set(1.0)
    }

    private static let bootstrapLock = NSLock()
    nonisolated(unsafe) private static var bootstrapped = false
    private static func claimBootstrap() -> Bool {
        bootstrapLock.lock(); defer { bootstrapLock.unlock() }
        if bootstrapped { return false }
        bootstrapped = true
        return true
    }

    func respond() -> HTTPResponse {
        refreshState()
        return HTTPResponse(status: .ok, contentType: "text/plain; version=0.0.4; charset=utf-8",
                            body: Data(registry.emitToBuffer()))
    }

    private func refreshState() {
        let snapshot = state.snapshot()
        registry.makeGauge(name: "dyadwatch_scheduler_heartbeat_age_seconds", labels: [],
                           help: "Seconds since the scheduler loop last turned.").set(snapshot.heartbeatAge)
        registry.makeGauge(name: "dyadwatch_database_bytes", labels: [],
                           help: "Size of the state database with its WAL.").set(Double(snapshot.databaseBytes))
        if let pending = snapshot.outboxPending {
            registry.makeGauge(name: "dyadwatch_outbox_pending", labels: [],
                               help: "Alerts queued but not yet written to every target.").set(Double(pending))
        }
        for (health, count) in snapshot.feedsByHealth {
            registry.makeGauge(name: "dyadwatch_feeds", labels: [("health", health)],
                               help: "Configured feeds by health.").set(Double(count))
        }
    }
}
