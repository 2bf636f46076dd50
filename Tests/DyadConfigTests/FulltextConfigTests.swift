import DyadConfig
import Foundation
import XCTest

/// `[fulltext]` and the per-feed `fulltext` key.
final class FulltextConfigTests: XCTestCase {
    func check(_ text: String) -> ConfigurationCheck {
        ConfigurationLoader.check(text: text, file: "test.conf", baseDirectory: URL(fileURLWithPath: "/tmp/dyadwatch-config-test"))
    }

    let feed = """

        [[feed]]
        id = "herald"
        name = "Herald"
        url = "https://herald.example/rss"
        fulltext = true
        """

    func testDefaultsAndPerFeedFlag() throws {
        let config = try XCTUnwrap(check(feed + "\n\n[[feed]]\nid = \"b\"\nname = \"B\"\nurl = \"https://b.example/rss\"\n").configuration)
        XCTAssertEqual(config.feeds.map(\.fulltext), [true, false], "off unless asked for")
        XCTAssertEqual(config.section(FulltextConfig.self), FulltextConfig())
        // Unset, min_text_length is the extractor's own default (ExtractionOptions owns it).
        XCTAssertNil(config.section(FulltextConfig.self).minTextLength)
    }

    func testAllKeysDecode() throws {
        let config = try XCTUnwrap(check("""
            [fulltext]
            concurrency = 2
            host_delay = "10s"
            timeout = "20s"
            max_body = "2MiB"
            min_text_length = 400
            first_poll_backlog = 0
            robots_expiry = "12h"
            queue_limit = 100
            """ + feed).configuration)
        let f = config.section(FulltextConfig.self)
        XCTAssertEqual(f.concurrency, 2); XCTAssertEqual(f.hostDelay, 10); XCTAssertEqual(f.timeout, 20)
        XCTAssertEqual(f.maxBody, 2 << 20); XCTAssertEqual(f.minTextLength, 400); XCTAssertEqual(f.firstPollBacklog, 0)
        XCTAssertEqual(f.robotsExpiry, 12 * 3_600); XCTAssertEqual(f.queueLimit, 100)
    }

    func testBadValuesAreReportedWithLines() {
        let result = check("""
            [fulltext]
            concurrency = 0
            host_delay = 5
            max_body = "1KiB"
            robots_expiry = "1s"
            min_length = 10

            [[feed]]
            id = "x"
            name = "X"
            url = "https://x.example/rss"
            fulltext = "yes"
            """)
        XCTAssertNil(result.configuration)
        XCTAssertEqual(result.errors.map { "\($0.line ?? -1) \($0.key)" }, [
            "2 fulltext.concurrency", "3 fulltext.host_delay", "4 fulltext.max_body", "5 fulltext.robots_expiry",
            "6 fulltext.min_length", "12 feed[0].fulltext",
        ])
        XCTAssertTrue(result.errors[2].message.contains("out of range"), result.errors[2].message)
    }

    func testRetryKeys() throws {
        let defaults = FulltextConfig()
        XCTAssertEqual([Double(defaults.maxAttempts), defaults.retryDelay, defaults.retryMaxDelay], [6, 300, 7_200])
        let f = try XCTUnwrap(check("""
            [fulltext]
            max_attempts = 3
            retry_delay = "30s"
            retry_max_delay = "10m"
            """ + feed).configuration).section(FulltextConfig.self)
        XCTAssertEqual([Double(f.maxAttempts), f.retryDelay, f.retryMaxDelay], [3, 30, 600])
        // A retry_delay longer than the default ceiling raises the ceiling with it.
        let long = try XCTUnwrap(check("[fulltext]\nretry_delay = \"6h\"\n" + feed).configuration).section(FulltextConfig.self)
        XCTAssertEqual(long.retryMaxDelay, 6 * 3_600)

        let bad = check("""
            [fulltext]
            max_attempts = 0
            retry_delay = "1h"
            retry_max_delay = "5m"
            """ + feed)
        XCTAssertNil(bad.configuration)
        XCTAssertEqual(bad.errors.map { "\($0.line ?? -1) \($0.key)" }, ["2 fulltext.max_attempts", "4 fulltext.retry_max_delay"])
        XCTAssertTrue(bad.errors[1].message.contains("must not be shorter than retry_delay"), bad.errors[1].message)
    }
}
