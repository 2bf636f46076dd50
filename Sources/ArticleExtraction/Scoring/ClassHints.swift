/// What an element's `class` and `id` say about it. Words are matched two ways: long, distinctive
/// words anywhere in the value (`js-comment-list` holds "comment"); short, ambiguous ones
/// (`ad`, `nav`, `tag`) only as a whole token between separators.
enum ClassHints {
    /// Body text: a value holding one of these is worth +25 per attribute.
    static let positiveWords = ["article", "content", "entry", "story", "body", "text", "main", "blog", "prose", "hentry", "h-entry", "post"]
    static let positiveTokens: Set<String> = ["page", "column"]

    /// Not body text: −25 per attribute.
    static let negativeWords = [
        "comment", "related", "share", "sharing", "social", "footer", "footnote", "sidebar", "promo", "cookie", "consent",
        "newsletter", "subscribe", "subscription", "breadcrumb", "caption", "masthead", "pagination", "pager", "popup",
        "modal", "sponsor", "widget", "outbrain", "taboola", "disqus", "banner", "signup", "sign-up", "login", "toolbar",
        "byline", "dateline", "timestamp", "advert", "recommend", "trending", "popular", "more-stories", "readmore",
        "read-more", "shoutbox", "skyscraper", "shopping", "gdpr", "combx", "contact", "hidden", "menu", "navigation",
        "navbar", "teaser", "newsfeed", "author-info", "author-bio", "bio-", "copyright", "legal", "print", "tooltip",
        "credit", "meta", "tool", "scroll", "media", "gallery", "carousel", "slider", "thumb", "rail", "nav-",
    ]
    static let negativeTokens: Set<String> = [
        "ad", "ads", "adv", "nav", "tag", "tags", "hid", "extra", "aside", "related", "foot", "header", "share", "date",
        "author", "top", "bottom", "links", "list", "video", "photo", "image", "img", "figure", "icon", "button", "btn",
    ]

    /// Removed outright (before scoring) unless the same value also looks like body text:
    /// readability's "unlikely candidates", widened to consent and subscription walls.
    static let unlikelyWords = [
        "comment", "related", "share", "social", "footer", "sidebar", "cookie", "consent", "newsletter", "subscribe",
        "breadcrumb", "masthead", "pagination", "pager", "popup", "modal", "sponsor", "outbrain", "taboola", "disqus",
        "banner", "skyscraper", "shoutbox", "gdpr", "combx", "community", "remark", "replies", "menu", "agegate",
        "ad-break", "promo", "recommend", "trending", "most-popular", "more-stories", "read-more", "readmore",
        "navigation", "navbar", "signup", "supplemental", "legends", "rss", "yom-remote", "ai2html", "cover-wrap",
    ]
    static let unlikelyTokens: Set<String> = ["ad", "ads", "nav", "extra", "header", "tags", "tag", "aside"]
    /// Words that keep an unlikely-looking element: "article-comments-off", "main-nav-content"...
    static let maybeWords = ["article", "body", "column", "content", "main", "shadow", "entry", "story", "post", "text"]

    /// The verdict on one attribute value.
    struct Reading: Sendable {
        var weight: Int
        var unlikely: Bool
        /// The value names the article body itself (`article-body`, `articleBody`, `article__body`).
        var articleBody: Bool
    }

    private static let positive = positiveWords.map { Array($0.utf8) }
    private static let negative = negativeWords.map { Array($0.utf8) }
    private static let unlikely = unlikelyWords.map { Array($0.utf8) }
    private static let bodyNames = ["articlebody", "article-body", "article__body", "article_body"].map { Array($0.utf8) }
    private static let maybe = maybeWords.map { Array($0.utf8) }

    /// +25/−25 for a class or id value (lower-cased here), and whether it marks page furniture
    /// to remove before scoring (unless the same value also looks like body text).
    static func read(_ raw: String) -> Reading {
        let value = Array(raw.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 })
        if value.isEmpty { return Reading(weight: 0, unlikely: false, articleBody: false) }
        let toks = tokens(value)
        var w = 0
        if containsAny(value, negative) || toks.contains(where: negativeTokens.contains) { w -= 25 }
        if containsAny(value, positive) || toks.contains(where: positiveTokens.contains) { w += 25 }
        let isUnlikely = (containsAny(value, unlikely) || toks.contains(where: unlikelyTokens.contains)) && !containsAny(value, maybe)
        return Reading(weight: w, unlikely: isUnlikely, articleBody: containsAny(value, bodyNames))
    }

    private static func containsAny(_ hay: [UInt8], _ needles: [[UInt8]]) -> Bool {
        needles.contains { contains(hay, $0) }
    }

    private static func contains(_ hay: [UInt8], _ needle: [UInt8]) -> Bool {
        let n = needle.count, h = hay.count
        guard n > 0, n <= h else { return n == 0 }
        let first = needle[0]
        var i = 0
        outer: while i <= h - n {
            if hay[i] == first {
                var k = 1
                while k < n {
                    if hay[i + k] != needle[k] { i += 1; continue outer }
                    k += 1
                }
                return true
            }
            i += 1
        }
        return false
    }

    /// Words of a class/id value, split at anything not an ASCII letter or digit.
    private static func tokens(_ value: [UInt8]) -> [String] {
        var out: [String] = []
        var start = -1
        for i in 0...value.count {
            let isWord = i < value.count && ((value[i] >= 0x61 && value[i] <= 0x7A) || (value[i] >= 0x30 && value[i] <= 0x39))
            if isWord { if start < 0 { start = i } } else if start >= 0 {
                if i - start <= 8 { out.append(String(decoding: value[start..<i], as: UTF8.self)) }
                start = -1
            }
        }
        return out
    }
}
