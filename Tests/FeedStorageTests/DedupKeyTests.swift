import DyadConfig
import DyadCore
import FeedStorage
import XCTest

/// Dedup keys: GUID, else normalized link, else content hash; per-feed override.
final class DedupKeyTests: XCTestCase {
    func testGUIDWinsWhenPresent() {
        let e = FeedEntry(id: " urn:x:1 ", title: "T", link: "https://a.com/1")
        XCTAssertEqual(DedupKey.key(for: e), "id:urn:x:1")
    }

    func testLinkIsNormalizedWhenNoGUID() {
        let a = FeedEntry(title: "T", link: "https://Example.com/news/1?utm_source=rss&id=7&UTM_Medium=x#comments")
        let b = FeedEntry(title: "T changed", link: "http://example.com:80/news/1?id=7")
        XCTAssertEqual(DedupKey.key(for: a), "link:example.com/news/1?id=7")
        XCTAssertEqual(DedupKey.key(for: a), DedupKey.key(for: b), "scheme, default port, fragment, utm_* do not matter")
        XCTAssertNotEqual(DedupKey.key(for: a), DedupKey.key(for: FeedEntry(link: "https://example.com/news/1?id=8")))
        XCTAssertEqual(DedupKey.normalizedLink("https://example.com?utm_campaign=z"), "example.com/")
    }

    func testHashOfTitleDateSummaryAsLastResort() {
        let date = Date(timeIntervalSince1970: 1_700_000_000)
        let a = FeedEntry(title: "Talks in Beijing", published: date, summary: "Leaders met.")
        let same = FeedEntry(title: "Talks in Beijing", published: date, summary: "Leaders met.")
        let otherDate = FeedEntry(title: "Talks in Beijing", published: date + 60, summary: "Leaders met.")
        XCTAssertTrue(DedupKey.key(for: a).hasPrefix("hash:"))
        XCTAssertEqual(DedupKey.key(for: a), DedupKey.key(for: same))
        XCTAssertNotEqual(DedupKey.key(for: a), DedupKey.key(for: otherDate))
    }

    func testOverrides() {
        let e = FeedEntry(id: "changes-every-build-123", title: "T", link: "https://a.com/story#x", summary: "S")
        XCTAssertEqual(DedupKey.key(for: e, rule: .link), "link:a.com/story")
        XCTAssertTrue(DedupKey.key(for: e, rule: .hash).hasPrefix("hash:"))
        XCTAssertEqual(DedupKey.key(for: FeedEntry(id: "g", title: "T"), rule: .link), "id:g", "link rule falls back to the GUID")
    }

    func testContentHashSeesTextChangesNotDates() {
        let a = FeedEntry(id: "1", title: "T", published: Date(timeIntervalSince1970: 0), summary: "S")
        var b = a
        b.published = Date(timeIntervalSince1970: 100)
        XCTAssertEqual(DedupKey.contentHash(for: a), DedupKey.contentHash(for: b))
        b.summary = "S, corrected"
        XCTAssertNotEqual(DedupKey.contentHash(for: a), DedupKey.contentHash(for: b))
    }

    func testSHA256Vectors() {
        XCTAssertEqual(SHA256.hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(SHA256.hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(SHA256.hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
                       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        XCTAssertEqual(SHA256.hex(String(repeating: "a", count: 1_000)),
                       "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
        // Every padding length around the block boundary, and joined fields hash like the joined string.
        for n in 50...130 {
            let text = String(repeating: "é", count: n / 2) + String(repeating: "x", count: n % 2)
            XCTAssertEqual(SHA256.hex(text), SHA256.digest(Array(text.utf8)).map { String(format: "%02x", $0) }.joined())
        }
        XCTAssertEqual(SHA256.hex(joining: ["a", "", "bc"], separator: "\u{1F}"), SHA256.hex("a\u{1F}\u{1F}bc"))
        XCTAssertEqual(SHA256.hex(joining: [], separator: "-"), SHA256.hex(""))
    }

    /// The trimming used for ids and titles removes exactly Foundation's `.whitespacesAndNewlines`.
    func testTrimmingMatchesFoundation() {
        let set = CharacterSet.whitespacesAndNewlines
        for v in UInt32(0)...0x10FFFF {
            guard let s = Unicode.Scalar(v) else { continue }
            XCTAssertEqual(String.isWhitespaceOrNewline(s), set.contains(s), "U+\(String(v, radix: 16))")
        }
        for text in ["", " ", "\u{3000}a b\u{85}\n", "\t x\u{301} ", " \u{301}x", "abc", "a\u{2028}", "\u{FEFF}x\u{200B}", "😀 ", "\r\n"] {
            XCTAssertEqual(text.trimmingWhitespaceAndNewlines(), text.trimmingCharacters(in: .whitespacesAndNewlines), text.debugDescription)
        }
    }
}
