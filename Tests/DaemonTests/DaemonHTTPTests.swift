import XCTest
import DyadCore
import DyadConfig
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// The real daemon with `[http]` on: /metrics parses as Prometheus text with every family,
/// /healthz is 200 and turns 503 when the state database becomes unwritable, the trend page and
/// JSON are served, and malformed or oversized requests get 4xx while polling goes on.
extension DaemonBinaryTests {
    /// Families `/metrics` must expose (issue 11).
    static let metricFamilies = [
        "dyadwatch_polls_total", "dyadwatch_fetch_duration_seconds", "dyadwatch_fetch_bytes_total", "dyadwatch_entries_total",
        "dyadwatch_analysis_duration_seconds", "dyadwatch_fulltext_fetches_total", "dyadwatch_alerts_total", "dyadwatch_outbox_pending",
        "dyadwatch_feeds", "dyadwatch_scheduler_lag_seconds", "dyadwatch_scheduler_heartbeat_age_seconds", "dyadwatch_database_bytes",
        "dyadwatch_build_info",
    ]

    func metrics(_ port: UInt16) throws -> PrometheusText {
        let r = try RawHTTP.get(port: port, "/metrics")
        XCTAssertEqual(r.status, 200)
        XCTAssertTrue(r.headers["content-type"]?.hasPrefix("text/plain; version=0.0.4") == true, "\(r.headers)")
        return try PrometheusText(r.body)
    }

    func testHTTPEndpointServesMetricsHealthPageAndSurvivesBadRequests() throws {
        let port = try RawHTTP.freePort()
        serve("alpha", items: 3)
        serve("beta", items: 2)
        try writeConfig(["alpha", "beta"], extra: "\n[http]\nlisten = \"127.0.0.1:\(port)\"\n")
        let daemon = try start()
        XCTAssertNotNil(daemon.waitForLog("http endpoint listening", "listen=127.0.0.1:\(port)"), daemon.log)
        XCTAssertNotNil(daemon.waitForLog("msg=\"poll ok\"", "feed=alpha", "new=3"), daemon.log)
        XCTAssertNotNil(daemon.waitForLog("msg=\"poll ok\"", "feed=beta", "new=2"), daemon.log)

        // The analysis runs on its own queue after the poll: wait until the five entries went through it.
        XCTAssertTrue(eventually(timeout: 15) {
            ((try? self.metrics(port))?.values("dyadwatch_analysis_duration_seconds").first { $0.name.hasSuffix("_count") }?.value ?? 0) >= 5
        }, daemon.log)
        // /metrics: valid exposition text with every family.
        let m = try metrics(port)
        for family in Self.metricFamilies { XCTAssertNotNil(m.types[family], "family \(family) missing") }
        XCTAssertEqual(m.types["dyadwatch_fetch_duration_seconds"], "histogram")
        XCTAssertEqual(m.types["dyadwatch_polls_total"], "counter")
        XCTAssertGreaterThanOrEqual(m.values("dyadwatch_polls_total").first { $0.labels == ["feed": "alpha", "result": "ok"] }?.value ?? 0, 1,
                                    "alpha polled")
        XCTAssertGreaterThanOrEqual(m.values("dyadwatch_entries_total").first { $0.labels["kind"] == "new" }?.value ?? 0, 5)
        XCTAssertGreaterThanOrEqual(m.values("dyadwatch_analysis_duration_seconds").first { $0.name.hasSuffix("_count") }?.value ?? 0, 5)
        XCTAssertEqual(m.values("dyadwatch_feeds").first { $0.labels["health"] == "ok" }?.value, 2)
        XCTAssertEqual(m.values("dyadwatch_alerts_total").count, 15, "5 detectors × 3 severities, 0 until raised")
        XCTAssertGreaterThan(m.values("dyadwatch_database_bytes").first?.value ?? 0, 0)
        XCTAssertEqual(m.values("dyadwatch_build_info").first?.labels["version"], ProductInfo.version)

        // /healthz, the page, JSON.
        let health = try RawHTTP.get(port: port, "/healthz")
        XCTAssertEqual(health.status, 200, health.body)
        let page = try RawHTTP.get(port: port, "/")
        XCTAssertEqual(page.status, 200)
        XCTAssertTrue(page.body.contains("<h1>China–Russia coverage</h1>"))
        XCTAssertEqual(try RawHTTP.get(port: port, "/?since=soon").status, 400)
        let alerts = try RawHTTP.get(port: port, "/api/alerts")
        XCTAssertEqual(alerts.status, 200)
        XCTAssertEqual(alerts.body, "[]\n")
        let trends = try RawHTTP.get(port: port, "/api/trends")
        XCTAssertEqual(trends.status, 200, trends.body)
        XCTAssertTrue(trends.body.contains("\"currentDay\""), trends.body)
        XCTAssertEqual(try RawHTTP.get(port: port, "/nope").status, 404)
        XCTAssertEqual(try RawHTTP.exchange(port: port, Data("DELETE /metrics HTTP/1.1\r\n\r\n".utf8)).status, 405)

        // Malformed and oversized requests: 4xx (NIO's parser answers 400 to a head over its limits), and polling goes on.
        let bad: [(Data, Int)] = [
            (Data("NOT HTTP AT ALL\r\n\r\n".utf8), 400),
            (Data([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xFC, 0x03, 0x03, 0x0D, 0x0A, 0x0D, 0x0A]), 400),  // a TLS hello
            (Data("GET /metrics HTTP/1.1\r\nX-Big: \(String(repeating: "x", count: 2_000_000))\r\n\r\n".utf8), 400),
            (Data("GET /\(String(repeating: "p", count: 10_000)) HTTP/1.1\r\n\r\n".utf8), 414),
            (Data("POST /metrics HTTP/1.1\r\nContent-Length: 1000000000\r\n\r\n".utf8) + Data(count: 1_000_000), 413),
        ]
        for (bytes, status) in bad { XCTAssertEqual(try RawHTTP.exchange(port: port, bytes).status, status) }
        let before = daemon.logLines.count
        serve("alpha", items: 5)
        XCTAssertNotNil(daemon.waitForLog("msg=\"poll ok\"", "feed=alpha", "new=2", after: before), "still polling after bad requests\n\(daemon.log)")
        XCTAssertTrue(daemon.process.isRunning)

        // An unwritable state database turns /healthz to 503 with the reason; writable again, 200.
        let db = dir.url.appendingPathComponent("state/dyadwatch.sqlite").path
        try makeUnwritable(db)
        defer { restoreWritable(db) }
        let sick = try RawHTTP.get(port: port, "/healthz")
        XCTAssertEqual(sick.status, 503, sick.body)
        XCTAssertTrue(sick.body.hasPrefix("unhealthy: state database not writable"), sick.body)
        XCTAssertEqual(sick.body.split(separator: "\n").count, 1, "one line")
        restoreWritable(db)
        XCTAssertEqual(try RawHTTP.get(port: port, "/healthz").status, 200)

        daemon.signal(SIGTERM)
        XCTAssertEqual(daemon.waitForExit(timeout: 5), 0)
    }

    /// A port another process listens on: the daemon stops at start with the fixed class, exit 1.
    func testBusyHTTPPortIsAStartErrorNotACrash() throws {
        let fd = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { Glibc.close(fd) }
        var sa = sockaddr_in()
        sa.sin_family = sa_family_t(AF_INET)
        inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let listening = withUnsafeMutablePointer(to: &sa) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.bind(fd, $0, length) == 0 && Glibc.getsockname(fd, $0, &length) == 0 }
        } && Glibc.listen(fd, 1) == 0
        XCTAssertTrue(listening)
        let port = UInt16(bigEndian: sa.sin_port)
        serve("alpha", items: 1)
        try writeConfig(["alpha"], extra: "\n[http]\nlisten = \"127.0.0.1:\(port)\"\n")
        let daemon = try start()
        XCTAssertEqual(daemon.waitForExit(timeout: 10), 1, daemon.log)
        XCTAssertNotNil(daemon.waitForLog("cannot start", "http_listen_failed: cannot listen on 127.0.0.1:\(port)", timeout: 1), daemon.log)
    }

    /// Root ignores file modes, so as root the file is made immutable (`chattr +i`); otherwise read-only.
    func makeUnwritable(_ path: String) throws {
        if geteuid() != 0 {
            XCTAssertEqual(chmod(path, 0o444), 0)
            return
        }
        let chattr = Process()
        chattr.executableURL = URL(fileURLWithPath: "/usr/bin/chattr")
        chattr.arguments = ["+i", path]
        chattr.standardError = FileHandle.nullDevice
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/chattr"), (try? chattr.run()) != nil else {
            throw XCTSkip("running as root without chattr: cannot make the database unwritable")
        }
        chattr.waitUntilExit()
        if chattr.terminationStatus != 0 { throw XCTSkip("chattr +i is not supported on this file system") }
    }

    func restoreWritable(_ path: String) {
        if geteuid() != 0 { chmod(path, 0o644); return }
        let chattr = Process()
        chattr.executableURL = URL(fileURLWithPath: "/usr/bin/chattr")
        chattr.arguments = ["-i", path]
        try? chattr.run()
        chattr.waitUntilExit()
    }
}

