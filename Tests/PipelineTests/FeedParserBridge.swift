import Foundation
import DyadCore
import FeedParsing

/// Parses a fixture document the way the replay does.
enum FeedParserBridge {
    static func parse(_ data: Data) -> [FeedEntry] { FeedParser().parse(data).entries }
}
