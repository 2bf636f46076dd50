import DyadCore
@testable import FeedFetching
import Foundation
import XCTest

/// robots.txt as RFC 9309 defines it: groups, product-token matching, longest match, `*` and `$`.
final class RobotsRulesTests: XCTestCase {
    func rules(_ text: String, agent: String = "dyadwatch") -> RobotsRules {
        RobotsRules(parsing: Array(text.utf8), agent: agent)
    }

    func testOurGroupWinsOverTheStarGroupAndGroupsOfOneAgentMerge() {
        let r = rules("""
            User-agent: *
            Disallow: /

            User-agent: Googlebot
            User-agent: DyadWatch
            Disallow: /private/

            user-agent: dyadwatch/2.0
            disallow: /drafts
            """)
        XCTAssertTrue(r.allows("/world/story"), "our group replaces the * group entirely")
        XCTAssertFalse(r.allows("/private/memo"))
        XCTAssertFalse(r.allows("/drafts/1"), "two groups naming us are merged")
        XCTAssertFalse(rules("User-agent: *\nDisallow: /\n").allows("/world/story"))
        XCTAssertTrue(rules("User-agent: otherbot\nDisallow: /\n").allows("/x"), "no matching group: all allowed")
    }

    func testLongestMatchWinsAndAllowWinsATie() {
        let r = rules("""
            User-agent: *
            Disallow: /news/
            Allow: /news/public/
            Allow: /page
            Disallow: /page
            """)
        XCTAssertFalse(r.allows("/news/secret"))
        XCTAssertTrue(r.allows("/news/public/a"))
        XCTAssertTrue(r.allows("/page"), "equal length: allow wins")
    }

    func testWildcardsAndEndAnchor() {
        let r = rules("""
            User-agent: *
            Disallow: /*.pdf$
            Disallow: /*/print
            Disallow: /search?
            """)
        XCTAssertFalse(r.allows("/files/report.pdf"))
        XCTAssertTrue(r.allows("/files/report.pdf.html"), "$ anchors the end")
        XCTAssertFalse(r.allows("/2026/11/story/print"))
        XCTAssertFalse(r.allows("/search?q=china"))
        XCTAssertTrue(r.allows("/search"))
    }

    func testCommentsEmptyDisallowOtherKeysAndPercentEncoding() {
        let r = rules("""
            # comment
            User-agent: *   # everyone
            Crawl-delay: 10
            Sitemap: https://example.org/sitemap.xml
            Disallow:
            Disallow: /%e4%b8%ad/
            Disallow: /новости/
            """)
        XCTAssertTrue(r.allows("/anything"), "an empty Disallow adds no rule; other keys do not end the group")
        XCTAssertFalse(r.allows("/%E4%B8%AD/page"), "escapes compare case-insensitively")
        XCTAssertFalse(r.allows("/%D0%BD%D0%BE%D0%B2%D0%BE%D1%81%D1%82%D0%B8/1"), "non-ASCII patterns are percent-encoded")
        XCTAssertTrue(r.allows("/robots.txt"))
    }

    func testUnreachableMeansCompleteDisallow() {
        XCTAssertFalse(RobotsRules.unreachable.allows("/"))
        XCTAssertTrue(RobotsRules.allowAll.allows("/private"))
    }

    func testJunkAndHugeInputsDoNotTrap() {
        var junk = [UInt8]()
        var seed: UInt64 = 42
        for _ in 0..<200_000 {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            junk.append(UInt8(truncatingIfNeeded: seed >> 33))
        }
        _ = RobotsRules(parsing: junk, agent: "dyadwatch").allows("/a")
        let long = "User-agent: *\nDisallow: /" + String(repeating: "*a", count: 900) + "$\n"
        XCTAssertTrue(rules(long).allows("/" + String(repeating: "b", count: 5_000)))
    }

    func testCacheFetchesOncePerOriginAndMapsStatuses() {
        let clock = ManualClock(Date(timeIntervalSince1970: 1_800_000_000))
        let calls = Counter()
        @Sendable func result(_ outcome: FetchOutcome) -> FetchResult {
            FetchResult(id: "robots", requestedURL: "", finalURL: "", outcome: outcome, status: nil, redirects: [], permanentURL: nil,
                        etag: nil, lastModified: nil, retryAfter: nil, maxAge: nil, contentType: nil, charset: nil, bytes: 0, duration: 0)
        }
        let cache = RobotsCache(agent: "dyadwatch", expiry: 3_600, clock: clock) { url in
            calls.add(url)
            if url.hasPrefix("https://a.example/") { return result(.document(Data("User-agent: *\nDisallow: /x\n".utf8))) }
            if url.hasPrefix("https://b.example/") { return result(.failed(.httpStatus(403))) }
            return result(.failed(.httpStatus(503)))
        }
        XCTAssertEqual(cache.rules(for: "https://A.example:443/x/1")?.allows("/x/1"), false)
        XCTAssertEqual(cache.rules(for: "https://a.example/y")?.allows("/y"), true)
        XCTAssertEqual(calls.urls, ["https://a.example/robots.txt"], "one fetch per origin")
        XCTAssertEqual(cache.rules(for: "https://b.example/x")?.allows("/x"), true, "4xx: no robots.txt, all allowed")
        XCTAssertEqual(cache.rules(for: "https://c.example/x")?.disallowAll, true, "5xx: complete disallow")
        clock.advance(by: 3_601)
        _ = cache.rules(for: "https://a.example/z")
        XCTAssertEqual(calls.urls.filter { $0.hasPrefix("https://a.example") }.count, 2, "fetched again after the expiry")
        XCTAssertNil(cache.rules(for: "ftp://a.example/x"))
        XCTAssertEqual(RobotsCache.pathAndQuery(of: "https://a.example/p%41th?q=1#frag"), "/p%41th?q=1")
        XCTAssertEqual(RobotsCache.pathAndQuery(of: "https://a.example"), "/")
    }
}

final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [String] = []
    func add(_ url: String) { lock.lock(); list.append(url); lock.unlock() }
    var urls: [String] { lock.lock(); defer { lock.unlock() }; return list }
}
