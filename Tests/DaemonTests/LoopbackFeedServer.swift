import Foundation
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// The feed server of the daemon tests: TestSupport's loopback HTTP server with a route per feed
/// path that answers conditional GETs with 304 and can be slowed down (to catch the daemon in the
/// middle of a poll).
final class LoopbackFeedServer: @unchecked Sendable {
    struct Route: Sendable { var body: String; var delay: TimeInterval = 0 }
    private let routes = RouteTable()
    private let server: LoopbackHTTPServer

    init() throws {
        server = try LoopbackHTTPServer(handler: routes.handler)
    }

    func url(_ path: String) -> String { server.url(path) }

    func set(_ path: String, body: String) { set(path, Route(body: body)) }

    func set(_ path: String, _ route: Route) {
        // The ETag is the body's hash: a changed document gets a new one.
        let etag = "\"\(String(UInt64(bitPattern: Int64(route.body.hashValue)), radix: 16))\""
        routes.set(path) { request in
            if route.delay > 0 { usleep(useconds_t(route.delay * 1_000_000)) }
            if request.headers["if-none-match"] == etag { return .status(304, headers: [("ETag", etag)]) }
            return .ok(route.body, headers: [("ETag", etag)])
        }
    }

    /// A fixed response (an error status, a cut-off body …) for every request to `path`.
    func set(_ path: String, response: LoopbackResponse) { routes.set(path, response) }

    func hitCount(_ path: String) -> Int { server.requests(to: path).count }

    func stop() { server.stop() }
}

/// RSS 2.0 documents for the tests: items with stable GUIDs, some about China and Russia.
enum TestFeeds {
    /// `dates`, when given, are the items' publication times in order (one per item); otherwise
    /// the items are dated an hour apart back from now (real time).
    static func rss(title: String, items: [(guid: String, title: String, text: String)], dates: [Date]? = nil) -> String {
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel><title>\(title)</title><link>http://127.0.0.1/</link><description>test</description>"
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        for (index, item) in items.enumerated() {
            // Recent dates (an hour apart), so feeds are never stale.
            let date = formatter.string(from: dates?[index] ?? Date().addingTimeInterval(-3600 * Double(index + 1)))
            xml += "<item><title>\(item.title)</title><link>http://127.0.0.1/a/\(item.guid)</link><guid isPermaLink=\"false\">\(item.guid)</guid><pubDate>\(date)</pubDate><description>\(item.text)</description></item>"
        }
        return xml + "</channel></rss>"
    }

    static func dyadItems(_ prefix: String, count: Int) -> [(guid: String, title: String, text: String)] {
        (0..<count).map { i in
            ("\(prefix)-\(i)", "Xi and Putin deepen China-Russia partnership, item \(i) of \(prefix)",
             "Chinese President Xi Jinping and Russian President Vladimir Putin met in Moscow and pledged closer ties between Beijing and Moscow.")
        }
    }
}
