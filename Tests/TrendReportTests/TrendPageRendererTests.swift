import XCTest
import DyadCore
import Trends
@testable import TrendReport

/// The trend page from plain data: every alert a marker, hostile feed text escaped, empty and
/// young states, no way for the page to fetch anything.
final class TrendPageRendererTests: XCTestCase {
    static let day: Int64 = 86_400
    static let start: Int64 = 1_645_660_800  // 2022-02-24

    static func aggregate(dyad: Int, entries: Int = 20, stance: Double = 0.3, actors: [String: Int] = [:]) -> Aggregate {
        var a = Aggregate()
        a.entries = entries; a.china = dyad + 3; a.russia = dyad + 4; a.dyad = dyad
        a.stanceW = Double(dyad); a.stanceWS = stance * Double(dyad); a.stanceWSS = (stance * stance + 0.04) * Double(dyad); a.stanceWW = Double(dyad)
        a.supportive = dyad; a.frames = ["military": max(0, dyad - 1), "economy": 1]
        a.toneChinaSum = 0.2 * Double(entries); a.toneChinaN = entries
        a.toneRussiaSum = -0.1 * Double(entries); a.toneRussiaN = entries
        a.actors = actors
        return a
    }

    static func alert(_ id: String, detector: String, metric: String, day: Int64, scope: String = "all",
                      title: String = "Headline", link: String? = "https://example.com/a", outlet: String = "Outlet") -> AlertRecord {
        // Built as alerts.jsonl would hold it: the record's own decoder is the one true schema.
        let bucket = ISO8601.string(Date(timeIntervalSince1970: Double(day)))
        let json: [String: Any] = [
            "id": id, "detectedAt": bucket, "detector": detector, "scope": scope, "granularity": "day", "bucket": bucket,
            "bucketEnd": ISO8601.string(Date(timeIntervalSince1970: Double(day + 86_400))), "metric": metric, "baseline": 0.5,
            "current": 5, "statistic": "p", "statisticValue": 0.0003, "score": 3.5, "severity": "warning", "summary": "summary of \(id)",
            "evidence": [["entryID": 1, "feedID": "f", "outlet": outlet, "group": "cn-state", "title": title, "link": link as Any,
                          "time": bucket, "stance": 0.4, "frames": ["military"], "cues": ["strategic partnership"]]],
        ]
        return try! DyadJSON.decoder().decode(AlertRecord.self, from: JSONSerialization.data(withJSONObject: json))
    }

    static func data(days: Int, alerts: [AlertRecord], groups: Bool = true) -> TrendPageData {
        let total = (0..<days).map { (start + Int64($0) * day, aggregate(dyad: $0 % 5, actors: ["Kazakhstan": 1])) }
        let g: [(name: String, days: [TrendPageData.Day])] = groups
            ? [("cn-state", total.map { ($0.0, aggregate(dyad: $0.1.dyad / 2)) }), ("western", total.map { ($0.0, aggregate(dyad: $0.1.dyad - $0.1.dyad / 2)) })]
            : []
        return TrendPageData(scope: "all", generatedAt: Date(timeIntervalSince1970: Double(start + Int64(days) * day)),
                             firstDay: total.first?.0, lastDay: total.last?.0, total: total, groups: g, alerts: alerts)
    }

    /// Ids of the alert markers in the page, in document order.
    static func markerIDs(_ html: String) -> [String] {
        let regex = try! NSRegularExpression(pattern: ##"<a class="marker[^"]*" href="#alert-([0-9a-zA-Z_-]+)" data-alert-id="([0-9a-zA-Z_-]+)">"##)
        return regex.matches(in: html, range: NSRange(html.startIndex..., in: html)).map { String(html[Range($0.range(at: 2), in: html)!]) }
    }

    func testEveryAlertIsOneMarkerWithItsIDAndATableRow() {
        let alerts = [
            Self.alert("00000000000000a1", detector: "volume_surge", metric: "count:dyad", day: Self.start + 10 * Self.day),
            Self.alert("00000000000000a2", detector: "volume_surge", metric: "count:russia", day: Self.start + 11 * Self.day),
            Self.alert("00000000000000a3", detector: "stance_shift", metric: "mean_stance", day: Self.start + 12 * Self.day),
            Self.alert("00000000000000a4", detector: "frame_shift", metric: "share:military", day: Self.start + 13 * Self.day),
            Self.alert("00000000000000a5", detector: "group_divergence", metric: "stance_gap", day: Self.start + 14 * Self.day, scope: "groups:cn-state~western"),
            Self.alert("00000000000000a6", detector: "new_actor", metric: "actor:Kazakhstan", day: Self.start + 14 * Self.day),
            Self.alert("00000000000000a7", detector: "some_future_detector", metric: "whatever", day: Self.start + 15 * Self.day),
        ]
        let html = TrendPageRenderer().render(Self.data(days: 30, alerts: alerts))
        XCTAssertEqual(Self.markerIDs(html).sorted(), alerts.map(\.id).sorted())
        for a in alerts {
            XCTAssertTrue(html.contains("<tr id=\"alert-\(a.id)\""), "table row for \(a.id)")
            XCTAssertTrue(html.contains("summary of \(a.id)"))
        }
        XCTAssertTrue(html.contains("<a href=\"https://example.com/a\" rel=\"noopener noreferrer\">Headline</a>"))
        for section in ["id=\"volume\"", "id=\"mentions\"", "id=\"stance\"", "id=\"frames\"", "id=\"tone\"", "id=\"actors\"", "Kazakhstan"] {
            XCTAssertTrue(html.contains(section), section)
        }
    }

    func testFeedTextCannotInjectMarkupOrScript() {
        let evil = Self.alert("00000000000000e1", detector: "volume_surge", metric: "count:dyad", day: Self.start + 3 * Self.day,
                              title: "</title><script>alert('t')</script><img src=x onerror=alert(1)>",
                              link: "javascript:alert(document.cookie)",
                              outlet: "\"><svg onload=alert(2)>")
        var other = Self.alert("00000000000000e2", detector: "volume_surge", metric: "count:dyad", day: Self.start + 5 * Self.day,
                               link: "https://example.com/?q=\"><script>alert(3)</script>")
        other.summary = "<b>bold</b> & \"quoted\""
        var data = Self.data(days: 10, alerts: [evil, other])
        data.groups[0].name = "<i>group</i>"
        data.total[2].aggregate.actors = ["<script>actor</script>": 5]
        let html = TrendPageRenderer().render(data)
        XCTAssertEqual(html.components(separatedBy: "<script").count - 1, 1, "only the page's own script")
        for bad in ["<img", "<svg onload", "javascript:", "<i>group", "<b>bold", "\"><script"] {
            XCTAssertFalse(html.contains(bad), "\(bad) got through")
        }
        XCTAssertTrue(html.contains("&lt;/title&gt;&lt;script&gt;alert(&#39;t&#39;)&lt;/script&gt;"))
        XCTAssertTrue(html.contains("&lt;b&gt;bold&lt;/b&gt; &amp; &quot;quoted&quot;"))
        // The javascript: link is shown as text, not as a link; the https one is a link, escaped.
        XCTAssertTrue(html.contains("href=\"https://example.com/?q=&quot;&gt;&lt;script&gt;alert(3)&lt;/script&gt;\""))
        XCTAssertEqual(Self.markerIDs(html).count, 2)
    }

    func testThePageCannotFetchAnything() {
        let html = TrendPageRenderer().render(Self.data(days: 20, alerts: [
            Self.alert("00000000000000b1", detector: "volume_surge", metric: "count:dyad", day: Self.start + 9 * Self.day)]))
        for needle in [" src=", "<link", "@import", "url(", "<iframe", "<object", "<embed", "srcset", "fetch(", "XMLHttpRequest", "<img"] {
            XCTAssertFalse(html.contains(needle), needle)
        }
        XCTAssertTrue(html.contains("Content-Security-Policy\" content=\"default-src 'none'"))
        XCTAssertTrue(html.contains("prefers-color-scheme:dark"))
        XCTAssertTrue(html.contains("name=\"viewport\""))
    }

    func testEmptyAndYoungStatesSaySo() {
        let empty = TrendPageRenderer().render(.empty(scope: "all", now: Date(timeIntervalSince1970: Double(Self.start))))
        XCTAssertTrue(empty.contains("No data yet."))
        XCTAssertFalse(empty.contains("<svg"))
        XCTAssertTrue(empty.contains("No alerts in this window."))

        let young = TrendPageRenderer().render(Self.data(days: 1, alerts: []))
        XCTAssertTrue(young.contains("Only one day of data so far (2022-02-24 UTC)."), young)
        XCTAssertFalse(young.contains("<svg"))

        let two = TrendPageRenderer().render(Self.data(days: 2, alerts: []))
        XCTAssertTrue(two.contains("<svg"))
        XCTAssertFalse(two.contains("class=\"empty\""))
    }

    func testAxesAreLabelledInUTC() {
        let html = TrendPageRenderer().render(Self.data(days: 200, alerts: []))
        XCTAssertTrue(html.contains(">2022-03<") && html.contains(">Aug<"), "month ticks, the first with its year")
        XCTAssertTrue(html.contains("articles/day"))
        XCTAssertTrue(html.contains(">UTC<"))
        let short = TrendPageRenderer().render(Self.data(days: 10, alerts: []))
        XCTAssertTrue(short.contains(">Feb 24<"), "day ticks on a short window")
    }

    func testEscapingHelpers() {
        XCTAssertEqual(HTMLText.escape("a<b>&\"c'\u{1}"), "a&lt;b&gt;&amp;&quot;c&#39; ")
        XCTAssertNil(HTMLText.safeHref("javascript:alert(1)"))
        XCTAssertNil(HTMLText.safeHref(" JAVASCRIPT:alert(1)"))
        XCTAssertNil(HTMLText.safeHref("data:text/html,<b>x</b>"))
        XCTAssertNil(HTMLText.safeHref("/relative"))
        XCTAssertEqual(HTMLText.safeHref("https://x.example/a?b=1&c=2"), "https://x.example/a?b=1&amp;c=2")
        XCTAssertEqual(HTMLText.token("ab\"><12-_"), "ab12-_")
    }
}

/// Where the charts start: stray old dates do not stretch the window.
final class TrendPageQueryTests: XCTestCase {
    func testCoverageStartsWhereArticlesBecomeRegular() {
        let d: Int64 = 86_400, t0: Int64 = 1_645_660_800
        let days = [t0 - 400 * d, t0 - 120 * d, t0 - 119 * d] + (0..<30).map { t0 + Int64($0) * d }
        XCTAssertEqual(TrendPageQuery.coverageStart(days), t0)
        // Young data (no dense week yet): the first day with data.
        XCTAssertEqual(TrendPageQuery.coverageStart([t0 + 2 * d, t0, t0 + 5 * d]), t0)
        XCTAssertNil(TrendPageQuery.coverageStart([]))
        // Gaps inside real coverage (weekends) still count as coverage.
        let weekdays = (0..<28).map { t0 + Int64($0) * d }.filter { ($0 - t0) / d % 7 < 5 }
        XCTAssertEqual(TrendPageQuery.coverageStart(weekdays), t0)
    }

    func testAlertScopesOnAGroupPage() {
        XCTAssertTrue(TrendPageQuery.alert("group:cn-state", belongsTo: "group:cn-state"))
        XCTAssertTrue(TrendPageQuery.alert("groups:cn-state~western", belongsTo: "group:cn-state"))
        XCTAssertFalse(TrendPageQuery.alert("groups:cn-state~western", belongsTo: "group:ru-state"))
        XCTAssertFalse(TrendPageQuery.alert("all", belongsTo: "outlet:tass"))
        XCTAssertTrue(TrendPageQuery.alert("outlet:tass", belongsTo: "all"))
    }
}

final class TimeAxisTests: XCTestCase {
    func testWeeksStartOnMondayUTC() {
        let thursday: Int64 = 1_645_660_800  // 2022-02-24
        XCTAssertEqual(TimeAxis.date(TimeAxis.weekStart(thursday)), "2022-02-21")
        XCTAssertEqual(TimeAxis.weekStart(thursday - 3 * 86_400), thursday - 3 * 86_400, "a Monday is its own week start")
        XCTAssertEqual(TimeAxis.date(TimeAxis.weekStart(0)), "1969-12-29")
    }
}
