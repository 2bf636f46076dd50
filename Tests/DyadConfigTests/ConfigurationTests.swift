import DyadConfig
import Foundation
import XCTest

/// Loading and validating feeds.conf: every problem reported in one pass with its line and key.
final class ConfigurationTests: XCTestCase {
    let base = URL(fileURLWithPath: "/tmp/dyadwatch-config-test")

    func check(_ text: String) -> ConfigurationCheck {
        ConfigurationLoader.check(text: text, file: "test.conf", baseDirectory: base)
    }

    func testMinimalConfigurationGetsDefaults() throws {
        let result = check("""
        [[feed]]
        id = "tass-en"
        name = "TASS"
        url = "https://tass.com/rss/v2.xml"
        """)
        XCTAssertEqual(result.errors, [])
        let config = try XCTUnwrap(result.configuration)
        XCTAssertEqual(config.daemon.interval, 30 * 60)
        XCTAssertEqual(config.daemon.maxBody, 10 << 20)
        XCTAssertEqual(config.daemon.stateDir.path, "/tmp/dyadwatch-config-test/state")
        XCTAssertEqual(config.feeds.count, 1)
        XCTAssertEqual(config.feeds[0].outlet, "TASS", "outlet defaults to name")
        XCTAssertEqual(config.feeds[0].group, "other")
        XCTAssertTrue(config.feeds[0].enabled)
        XCTAssertTrue(config.daemon.userAgent.contains(ProductInfo.version))
    }

    func testAllValuesDecode() throws {
        let result = check("""
        [daemon]
        state_dir = "/var/lib/dyadwatch"
        interval = "1h30m"
        concurrency = 8
        per_host_concurrency = 1
        connect_timeout = "5s"
        timeout = "2m"
        max_body = "512KiB"
        max_backoff = "6h"
        stale_after = "7d"
        user_agent = "test-agent/1"

        [[feed]]
        id = "x"
        name = "X"
        url = "http://example.org/feed"
        group = "ru-state"
        country = "RU"
        language = "ru"
        interval = "15m"
        enabled = false
        dedup_key = "link"
        """)
        XCTAssertEqual(result.diagnostics, [])
        let config = try XCTUnwrap(result.configuration)
        XCTAssertEqual(config.daemon.stateDir.path, "/var/lib/dyadwatch")
        XCTAssertEqual(config.daemon.interval, 5_400)
        XCTAssertEqual(config.daemon.concurrency, 8)
        XCTAssertEqual(config.daemon.connectTimeout, 5)
        XCTAssertEqual(config.daemon.timeout, 120)
        XCTAssertEqual(config.daemon.maxBody, 512 * 1024)
        XCTAssertEqual(config.daemon.staleAfter, 7 * 86_400)
        XCTAssertEqual(config.daemon.userAgent, "test-agent/1")
        let feed = config.feeds[0]
        XCTAssertEqual(feed.interval, 900)
        XCTAssertFalse(feed.enabled)
        XCTAssertEqual(feed.dedupKey, .link)
        XCTAssertEqual(config.enabledFeeds.count, 0)
    }

    /// The "Must show": five different mistakes, all five reported with line numbers.
    func testFiveMistakesAllReportedWithLines() {
        let result = check("""
        [daemon]
        interval = "15x"
        concurency = 8

        [[feed]]
        id = "a"
        name = "A"
        url = "file:///etc/passwd"

        [[feed]]
        id = "a"
        name = "A again"
        url = "https://example.com/rss"

        [[feed]]
        name = "No id"
        url = "https://example.com/other"
        """)
        XCTAssertNil(result.configuration)
        let found = result.errors.map { "\($0.line ?? -1) \($0.key)" }
        XCTAssertEqual(found, [
            "2 daemon.interval",       // bad duration
            "3 daemon.concurency",     // unknown key
            "8 feed[0].url",           // non-http(s) scheme
            "11 feed[1].id",           // duplicate id
            "15 feed[2].id",           // missing required key (reported at the [[feed]] header)
        ])
        XCTAssertTrue(result.errors[1].message.contains("did you mean \"concurrency\""))
        XCTAssertTrue(result.errors[4].message.contains("required"))
    }

    func testSyntaxErrorHasLine() {
        let result = check("[daemon]\ninterval = \"15m\"\nconcurrency = = 3\n")
        XCTAssertNil(result.configuration)
        XCTAssertEqual(result.errors.count, 1)
        XCTAssertEqual(result.errors.first?.line, 3)
        XCTAssertTrue(result.errors.first?.message.contains("syntax") ?? false)
    }

    func testImpossibleLimits() {
        let result = check("""
        [daemon]
        concurrency = 0
        per_host_concurrency = 4
        timeout = "10s"
        connect_timeout = "20s"
        max_body = "10GiB"
        stale_after = "10m"

        [[feed]]
        id = "x"
        name = "X"
        url = "https://example.com/x"
        interval = "10s"
        """)
        let keys = Set(result.errors.map(\.key))
        XCTAssertEqual(keys, ["daemon.concurrency", "daemon.connect_timeout", "daemon.max_body",
                              "daemon.stale_after", "feed[0].interval"])
    }

    func testPerHostAboveGlobalConcurrencyIsAnError() {
        let result = check("[daemon]\nconcurrency = 2\nper_host_concurrency = 3\n")
        XCTAssertEqual(result.errors.map(\.key), ["daemon.per_host_concurrency"])
        XCTAssertEqual(result.errors.first?.line, 3)
    }

    func testDuplicateURLIsCaseAndPortInsensitiveOnHost() {
        let result = check("""
        [[feed]]
        id = "a"
        name = "A"
        url = "https://Example.com:443/rss"
        [[feed]]
        id = "b"
        name = "B"
        url = "https://example.com/rss"
        """)
        XCTAssertEqual(result.errors.map(\.key), ["feed[1].url"])
        XCTAssertEqual(result.errors.first?.line, 8)
        XCTAssertTrue(result.errors.first?.message.contains("line 4") ?? false)
    }

    func testWrongTypesAndUnknownTablesAndBadValues() {
        let result = check("""
        [daemon]
        concurrency = "many"
        watchdog = "yes"
        log_level = "loud"

        [detectorz]
        x = 1

        [[feed]]
        id = "Bad Id"
        name = "X"
        url = "https://example.com/x"
        language = "Russian"
        country = "ru"
        dedup_key = "title"
        colour = "red"
        """)
        let keys = result.errors.map(\.key)
        XCTAssertEqual(Set(keys), ["daemon.concurrency", "daemon.watchdog", "daemon.log_level", "detectorz",
                                   "feed[0].id", "feed[0].language", "feed[0].country", "feed[0].dedup_key",
                                   "feed[0].colour"])
        XCTAssertEqual(result.errors.first { $0.key == "detectorz" }?.line, 6)
        XCTAssertEqual(result.errors.first { $0.key == "feed[0].colour" }?.line, 16)
    }

    /// `[analysis] model` names a trained stance model file, resolved against the config directory.
    func testAnalysisModelPath() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dyadwatch-model-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data("{}".utf8).write(to: dir.appendingPathComponent("stance.json"))
        let feed = "\n[[feed]]\nid = \"a\"\nname = \"A\"\nurl = \"https://example.com/a\"\n"
        let ok = ConfigurationLoader.check(text: "[analysis]\nmodel = \"stance.json\"\n" + feed, file: "t.conf", baseDirectory: dir)
        XCTAssertEqual(ok.errors, [])
        XCTAssertEqual(try XCTUnwrap(ok.configuration).analysis.model?.path, dir.appendingPathComponent("stance.json").path)
        let missing = ConfigurationLoader.check(text: "[analysis]\nmodel = \"nope.json\"\n" + feed, file: "t.conf", baseDirectory: dir)
        XCTAssertEqual(missing.errors.map(\.key), ["analysis.model"])
        XCTAssertEqual(missing.errors.first?.line, 2)
    }

    func testUnusualGroupIsOnlyAWarning() throws {
        let result = check("[[feed]]\nid = \"x\"\nname = \"X\"\nurl = \"https://e.com/x\"\ngroup = \"think-tank\"\n")
        XCTAssertNotNil(result.configuration)
        XCTAssertEqual(result.warnings.map(\.key), ["feed[0].group"])
    }

    func testMultilineValuesDoNotConfuseLineMapping() {
        let result = check("""
        [daemon]
        user_agent = \"\"\"
        not = a key
        \"\"\"
        interval = "bad"
        """)
        XCTAssertEqual(result.errors.first { $0.key == "daemon.interval" }?.line, 5)
    }

    func testShippedFeedsConfIsValid() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let result = ConfigurationLoader.check(path: root.appendingPathComponent("feeds.conf").path)
        XCTAssertEqual(result.diagnostics, [])
        let config = try XCTUnwrap(result.configuration)
        XCTAssertGreaterThanOrEqual(config.enabledFeeds.count, 30)
        XCTAssertEqual(Set(config.enabledFeeds.compactMap(\.language)), ["en", "ru", "zh"])
        XCTAssertTrue(Set(config.feeds.map(\.group)).isSuperset(of: ["cn-state", "ru-state", "independent-ru", "western", "regional"]))
        XCTAssertTrue(config.feeds.contains { !$0.enabled }, "known-dead feeds ship disabled")
    }

    func testMissingFileIsReported() {
        let result = ConfigurationLoader.check(path: "/nonexistent/feeds.conf")
        XCTAssertNil(result.configuration)
        XCTAssertEqual(result.errors.count, 1)
    }
}

final class ValueSyntaxTests: XCTestCase {
    func testDurations() {
        XCTAssertEqual(DurationSyntax.parse("15m"), 900)
        XCTAssertEqual(DurationSyntax.parse("2h"), 7_200)
        XCTAssertEqual(DurationSyntax.parse("7d"), 604_800)
        XCTAssertEqual(DurationSyntax.parse("1h30m"), 5_400)
        XCTAssertEqual(DurationSyntax.parse("30s"), 30)
        XCTAssertNil(DurationSyntax.parse("15"))
        XCTAssertNil(DurationSyntax.parse("15x"))
        XCTAssertNil(DurationSyntax.parse("m"))
        XCTAssertNil(DurationSyntax.parse(""))
        XCTAssertEqual(DurationSyntax.format(5_400), "1h30m")
        XCTAssertEqual(DurationSyntax.format(86_400), "1d")
    }

    func testSizes() {
        XCTAssertEqual(SizeSyntax.parse("10MiB"), 10 << 20)
        XCTAssertEqual(SizeSyntax.parse("512KiB"), 512 << 10)
        XCTAssertEqual(SizeSyntax.parse("1GiB"), 1 << 30)
        XCTAssertEqual(SizeSyntax.parse("10MB"), 10_000_000)
        XCTAssertEqual(SizeSyntax.parse("4096"), 4_096)
        XCTAssertNil(SizeSyntax.parse("10 parsecs"))
        XCTAssertNil(SizeSyntax.parse("MiB"))
        XCTAssertEqual(SizeSyntax.format(10 << 20), "10MiB")
    }

    func testSourceMapFindsHeadersAndKeys() {
        let map = SourceMap(text: """
        # comment
        [daemon]
        interval = "1h"
        "quoted key" = 1
        list = [
          "a", "]",
        ]
        after = 2

        [[feed]]
        id = "a"
        [[feed]]
        id = "b"
        """)
        XCTAssertEqual(map.exactLine(for: "daemon"), 2)
        XCTAssertEqual(map.exactLine(for: "daemon.interval"), 3)
        XCTAssertEqual(map.exactLine(for: "daemon.quoted key"), 4)
        XCTAssertEqual(map.exactLine(for: "daemon.after"), 8)
        XCTAssertEqual(map.exactLine(for: "feed[0].id"), 11)
        XCTAssertEqual(map.exactLine(for: "feed[1].id"), 13)
        XCTAssertEqual(map.line(for: "feed[1].name"), 12, "a missing key points at its table header")
    }
}
