import Alerts
import DyadConfig
import DyadCore
import Foundation
import HTTPTypes
import Pipeline
import Trends
import TrendReport

/// Maps a request to its answer. Read-only: GET and HEAD only.
struct Router: Sendable {
    let state: StateReader
    let metrics: MetricsRoute
    let now: @Sendable () -> Date

    static let routes = ["/", "/index.html", "/metrics", "/healthz", "/api/alerts", "/api/trends"]

    func respond(_ request: RouteRequest) -> RouteReply {
        guard Self.routes.contains(request.path) else { return .text(.notFound, "not found: try / , /metrics, /healthz, /api/alerts, /api/trends") }
        guard request.method == "GET" || request.method == "HEAD" else {
            var r = RouteReply.text(.methodNotAllowed, "only GET and HEAD")
            r.extraHeaders.append((.allow, "GET, HEAD"))
            return r
        }
        do {
            switch request.path {
            case "/metrics": return metrics.respond()
            case "/healthz":
                if let reason = state.unhealthyReason() { return .text(.serviceUnavailable, "unhealthy: " + reason) }
                return .text(.ok, "ok")
            case "/api/alerts": return try alerts(request)
            case "/api/trends": return try trends()
            default: return try page(request)
            }
        } catch let e as BadQuery {
            return .text(.badRequest, e.message)
        } catch {
            return .text(.serviceUnavailable, "cannot read the state database: \(error)")
        }
    }

    struct BadQuery: Error { var message: String }

    /// `since=90d` → the UTC midnight that many days/hours back.
    private func since(_ request: RouteRequest, default fallback: Int64) throws -> Int64 {
        guard let text = request.query["since"] else { return fallback }
        guard let seconds = DurationSyntax.parse(text), seconds > 0 else { throw BadQuery(message: "bad since=\(text): use e.g. 7d, 12w, 90d") }
        return Granularity.day.bucketStart(now().addingTimeInterval(-seconds))
    }

    /// `/`: the trend page, `?since=90d&scope=group:cn-state` to narrow it.
    private func page(_ request: RouteRequest) throws -> RouteReply {
        let now = now()
        var query = TrendPageQuery.trendFilesWindow(now: now)
        query.since = try since(request, default: query.since)
        if let scope = request.query["scope"] {
            guard scope == "all" || scope.hasPrefix("group:") || scope.hasPrefix("outlet:") else {
                throw BadQuery(message: "bad scope=\(scope): use all, group:NAME or outlet:SLUG")
            }
            query.scope = scope
        }
        let html = try state.open().map { stores in
            try stores.analysis.read { try TrendPage.html($0, engine: TrendEngine(), now: now, query: query) }
        } ?? TrendPage.emptyHTML(scope: query.scope, now: now)
        return RouteReply(status: .ok, contentType: "text/html; charset=utf-8", body: Data(html.utf8),
                          extraHeaders: [(.contentSecurityPolicy, "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:")])
    }

    /// `/api/alerts`: a JSON array of `alerts.jsonl` records, oldest first; `?since=7d` keeps
    /// alerts detected since then, `?limit=N` the N most recent.
    private func alerts(_ request: RouteRequest) throws -> RouteReply {
        let from = try since(request, default: Int64.min)
        var limit = Int.max
        if let l = request.query["limit"] {
            guard let n = Int(l), n > 0 else { throw BadQuery(message: "bad limit=\(l): a positive number") }
            limit = n
        }
        guard let stores = try state.open() else { return json(Data("[]\n".utf8)) }
        var records = try stores.analysis.readOutbox { try $0.all() }.map(\.record)
        records = records.filter { Int64($0.detectedAt.timeIntervalSince1970) >= from }
        return json(try DyadJSON.encoder().encode(Array(records.suffix(limit))) + Data("\n".utf8))
    }

    /// `/api/trends`: `latest.json` (its documented schema) computed from the database now, so
    /// it is current whichever daemon of a cluster closed the last bucket.
    private func trends() throws -> RouteReply {
        guard let stores = try state.open() else { return .text(.serviceUnavailable, "no trend data yet: the daemon has not stored any") }
        let engine = TrendEngine(params: DetectorParameters(state.configuration)), now = now()
        return json(try stores.analysis.read { db in
            try TrendFiles.latestJSON(from: db.trends, engine: engine, now: now, recentAlerts: try db.outbox.recent(limit: TrendFiles.recentAlertCount))
        })
    }

    private func json(_ data: Data) -> RouteReply {
        RouteReply(status: .ok, contentType: "application/json", body: data)
    }
}
