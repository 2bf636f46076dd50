// Operational metrics of the daemon, on swift-metrics. Every other module reports through the
// one-line functions below; without a metrics backend (`MetricsSystem.bootstrap`, done by the
// HTTP endpoint when `[http] listen` is set) they cost next to nothing.
import CoreMetrics
import Foundation

/// The metric names and the hooks the pipeline calls. One place for every name, so the
/// Prometheus families stay consistent (`docs/metrics.md` lists them).
public enum Telemetry {
    public enum Name {
        public static let polls = "dyadwatch_polls_total"
        public static let fetchDuration = "dyadwatch_fetch_duration_seconds"
        public static let fetchBytes = "dyadwatch_fetch_bytes_total"
        public static let entries = "dyadwatch_entries_total"
        public static let analysisDuration = "dyadwatch_analysis_duration_seconds"
        public static let fullTextFetches = "dyadwatch_fulltext_fetches_total"
        public static let fullTextRetries = "dyadwatch_fulltext_retries_total"
        public static let alerts = "dyadwatch_alerts_total"
        public static let schedulerLag = "dyadwatch_scheduler_lag_seconds"
    }

    /// One poll of one feed ended. `result`: `ok`, `not_modified`, `failed` or `gone`.
    public static func pollFinished(feed: String, result: String, seconds: Double, bytes: Int64, new: Int, updated: Int) {
        Counter(label: Name.polls, dimensions: [("feed", feed), ("result", result)]).increment()
        CoreMetrics.Timer(label: Name.fetchDuration).recordNanoseconds(Int64(max(0, seconds) * 1e9))
        if bytes > 0 { Counter(label: Name.fetchBytes, dimensions: [("feed", feed)]).increment(by: bytes) }
        if new > 0 { Counter(label: Name.entries, dimensions: [("kind", "new")]).increment(by: new) }
        if updated > 0 { Counter(label: Name.entries, dimensions: [("kind", "updated")]).increment(by: updated) }
    }

    /// Runs one article analysis and records its duration.
    @inlinable
    public static func timeAnalysis<T>(_ body: () throws -> T) rethrows -> T {
        let start = DispatchTime.now().uptimeNanoseconds
        defer { CoreMetrics.Timer(label: Name.analysisDuration).recordNanoseconds(Int64(DispatchTime.now().uptimeNanoseconds &- start)) }
        return try body()
    }

    /// The full-text fetcher's hook: one article page processed (`result`: a `FulltextStatus`
    /// raw value — `extracted`, `too_short`, `timeout`, `http_4xx`, …).
    public static func fullTextFetched(result: String) {
        Counter(label: Name.fullTextFetches, dimensions: [("result", result)]).increment()
    }

    /// A page attempt failed for a transient reason and was scheduled again (`class`: its
    /// `FulltextStatus` raw value — `timeout`, `connect`, `http_5xx`, …).
    public static func fullTextRetried(errorClass: String) {
        Counter(label: Name.fullTextRetries, dimensions: [("class", errorClass)]).increment()
    }

    /// Alerts newly raised (detector, severity).
    public static func alertsRaised(_ alerts: [(detector: String, severity: String)]) {
        for a in alerts { Counter(label: Name.alerts, dimensions: [("detector", a.detector), ("severity", a.severity)]).increment() }
    }

    /// The scheduler's loop turned; `lagSeconds` is how long the most overdue feed not yet started has waited.
    public static func schedulerTurned(lagSeconds: Double) {
        Gauge(label: Name.schedulerLag).record(max(0, lagSeconds))
    }
}
