import Foundation
import XCTest
import DyadCore
import FeedParsing

/// Loads test fixtures (Tests/FeedParsingTests/Fixtures, copied into the test bundle).
enum Fixture {
    static var root: URL {
        Bundle.module.url(forResource: "Fixtures", withExtension: nil)!
    }

    static func data(_ path: String) throws -> Data {
        try Data(contentsOf: root.appendingPathComponent(path))
    }

    /// Parses a fixture with default limits.
    static func parse(_ path: String, documentURL: String? = nil, httpCharset: String? = nil) throws -> ParsedFeed {
        FeedParser().parse(try data(path), documentURL: documentURL, httpCharset: httpCharset)
    }

    /// Parses an inline document.
    static func parse(xml: String, documentURL: String? = nil) -> ParsedFeed {
        FeedParser().parse(Data(xml.utf8), documentURL: documentURL)
    }

    /// `../shared` next to the repository root (evaluation data), or nil when absent.
    static var shared: URL? {
        var dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent() // Tests/FeedParsingTests
        dir = dir.deletingLastPathComponent().deletingLastPathComponent()      // repo root
        let shared = dir.deletingLastPathComponent().appendingPathComponent("shared")
        return FileManager.default.fileExists(atPath: shared.path) ? shared : nil
    }
}

/// `Date` from an ISO-8601 UTC literal, for expectations.
func utc(_ s: String) -> Date { ISO8601.date(s)! }
