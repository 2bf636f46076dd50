import Foundation
import TestSupport

/// What the full-text daemon tests (`FulltextDaemonTests`, `PostgresDaemonTests`) share: a feed
/// `herald` whose entries' pages are on another loopback host, read in full, and a headline feed
/// `alpha`.
enum FulltextDaemonFixture {
    /// The article page every story link answers with (it names Beijing and Moscow).
    static func article() throws -> String {
        try String(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../PipelineTests/FulltextFixtures/article-en.html").standardizedFileURL, encoding: .utf8)
    }

    /// `herald.xml`: `count` items "Summit ends, part N" (headlines that name neither side) linking
    /// to `/story/N` on `pages`, published at `published(N)`.
    static func heraldRSS(pages: LoopbackHTTPServer, count: Int, published: (Int) -> Date) -> String {
        var rss = "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Herald</title><link>http://127.0.0.2/</link>"
        for i in 0..<count {
            rss += "<item><title>Summit ends, part \(i)</title><link>\(pages.url("/story/\(i)"))</link><guid>h\(i)</guid><pubDate>\(RSSFixture.rfc822(published(i)))</pubDate><description>Officials met this week.</description></item>"
        }
        return rss + "</channel></rss>"
    }

    /// `[daemon]` lines: directories named `state`, `logs`, `trends` + `suffix` (beside the
    /// configuration file), a one-minute interval.
    static func daemon(suffix: String = "", _ extra: String...) -> [String] {
        ["state_dir = \"state\(suffix)\"", "log_dir = \"logs\(suffix)\"", "trends_dir = \"trends\(suffix)\"",
         "interval = \"1m\""] + extra + ["stale_after = \"30d\""]
    }

    /// The two feeds, served by `feeds`.
    static func feeds(_ feeds: LoopbackFeedServer) -> [FeedsConf.Feed] {
        [FeedsConf.Feed(id: "herald", url: feeds.url("/herald.xml"), group: "western", extra: ["fulltext = true"]),
         FeedsConf.Feed(id: "alpha", url: feeds.url("/alpha.xml"), group: "cn-state")]
    }
}
