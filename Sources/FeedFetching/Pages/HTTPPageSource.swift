import DyadCore
import Foundation
import Logging

/// Article pages from the web, with feed fetching's rules (http/https only, redirects checked hop
/// by hop, total deadline, decoded-size cap, every encoding libcurl decodes) and robots.txt
/// honoured per origin. One call fetches one page on the calling thread; the caller (the page
/// queue) decides how many run at once and how often a host is asked.
public struct HTTPPageSource: PageSource {
    public let policy: FetchPolicy
    let robots: RobotsCache
    let fetcher: FeedFetcher
    /// robots.txt is small: a larger one is treated as unreachable.
    static let robotsMaxBody: Int64 = 1 << 20

    /// `policy` holds the page limits (timeout, `max_body`, redirects, user agent); its `accept`
    /// is replaced by HTML types.
    public init(policy: FetchPolicy, robotsExpiry: TimeInterval, clock: any WallClock = SystemClock(),
                logger: Logger = Logger(label: "dyadwatch.fulltext")) {
        var pagePolicy = policy
        pagePolicy.accept = FetchPolicy.pageAccept
        pagePolicy.concurrency = 1
        pagePolicy.perHostConcurrency = 1
        self.policy = pagePolicy
        let fetcher = FeedFetcher(policy: pagePolicy, clock: clock, logger: logger)
        self.fetcher = fetcher
        var robotsPolicy = pagePolicy
        robotsPolicy.accept = "text/plain, */*;q=0.1"
        robotsPolicy.maxBody = min(pagePolicy.maxBody, Self.robotsMaxBody)
        let robotsFetcher = FeedFetcher(policy: robotsPolicy, clock: clock, logger: logger)
        robots = RobotsCache(agent: Self.productToken(policy.userAgent), expiry: robotsExpiry, clock: clock) { url in
            robotsFetcher.fetch([FetchRequest(id: "robots", url: url)])[0]
        }
    }

    public func page(for url: String) -> PageResponse {
        let scheme = HTTPHeaderValues.scheme(url)
        guard scheme == "http" || scheme == "https", let rules = robots.rules(for: url) else {
            return .failed(.badScheme, "not an http(s) URL: \(url)")
        }
        if rules.disallowAll {
            // Not a refusal: the site's robots.txt is down, so its pages are too for now. Asked for
            // again no sooner than robots.txt is.
            return .failed(.robotsUnreachable, "robots.txt unreachable: complete disallow for now",
                           retryAfter: RobotsCache.retryAfterUnreachable)
        }
        guard rules.allows(RobotsCache.pathAndQuery(of: url)) else {
            return .failed(.robots, "disallowed by robots.txt")
        }
        let result = fetcher.fetch([FetchRequest(id: "page", url: url)])[0]
        switch result.outcome {
        case .document(let data):
            // Redirected to another origin (a link shortener, a feed proxy): that site's robots.txt
            // has a say too. The hop was already made, but the page is not used.
            if RobotsCache.origin(of: result.finalURL) != RobotsCache.origin(of: url),
               let target = robots.rules(for: result.finalURL), !target.allows(RobotsCache.pathAndQuery(of: result.finalURL)) {
                if target.disallowAll {
                    return .failed(.robotsUnreachable, "robots.txt of the redirect target \(result.finalURL) unreachable",
                                   retryAfter: RobotsCache.retryAfterUnreachable)
                }
                return .failed(.robots, "redirect target \(result.finalURL) disallowed by its robots.txt")
            }
            return .page(PageDocument(bytes: [UInt8](data), url: result.finalURL, httpCharset: result.charset,
                                      contentType: result.contentType))
        case .notModified:
            return .failed(.http4xx, "unexpected 304 to an unconditional request")
        case .failed(let failure):
            return .failed(FulltextStatus(transfer: failure.errorClass), failure.description, retryAfter: result.retryAfter)
        }
    }

    /// `dyadwatch/0.2.0 (+https://…)` → `dyadwatch`: the name robots.txt groups are matched on.
    static func productToken(_ userAgent: String) -> String {
        let token = userAgent.prefix { $0 != "/" && $0 != " " }
        return token.isEmpty ? "dyadwatch" : String(token)
    }
}
