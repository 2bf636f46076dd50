/// What an element's `class` and `id` say about it. Words are matched two ways: long, distinctive
/// words anywhere in the value (`js-comment-list` holds "comment"); short, ambiguous ones
/// (`ad`, `nav`, `tag`) only as a whole token between separators.
enum ClassHints {
    /// Body text: a value holding one of these is worth +25 per attribute.
    static let positiveWords = ["article", "content", "entry", "story", "body", "text", "main", "blog", "prose", "hentry", "h-entry", "post"]
    static let positiveTokens = ["page", "column"]

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
    static let negativeTokens = [
        "ad", "ads", "adv", "nav", "tag", "tags", "hid", "extra", "aside", "related", "foot", "header", "share", "date",
        "author", "top", "bottom", "links", "list", "photo", "image", "img", "figure", "icon", "button", "btn",
    ]

    /// Removed outright (before scoring) unless the same value also looks like body text:
    /// readability's "unlikely candidates", widened to consent and subscription walls.
    static let unlikelyWords = [
        "comment", "related", "share", "social", "footer", "sidebar", "cookie", "consent", "newsletter", "subscribe",
        "breadcrumb", "masthead", "pagination", "pager", "popup", "modal", "sponsor", "outbrain", "taboola", "disqus",
        "banner", "skyscraper", "shoutbox", "gdpr", "combx", "community", "remark", "replies", "menu", "agegate",
        "ad-break", "promo", "recommend", "trending", "most-popular", "more-stories", "read-more", "readmore",
        "navigation", "navbar", "signup", "supplemental", "caption", "legends", "rss", "yom-remote", "ai2html", "cover-wrap",
    ]
    static let unlikelyTokens = ["ad", "ads", "nav", "extra", "header", "tags", "tag", "aside"]
    /// Words that keep an unlikely-looking element: "article-comments-off", "main-nav-content"...
    static let maybeWords = ["article", "body", "column", "content", "main", "shadow", "entry", "story", "post", "text"]

    /// The verdict on one attribute value.
    struct Reading: Sendable {
        var weight: Int
        var unlikely: Bool
        /// The value names the article body itself (`article-body`, `articleBody`, `article__body`).
        var articleBody: Bool
    }

    // Bits of a match.
    private static let positiveBit: UInt8 = 1, negativeBit: UInt8 = 2, unlikelyBit: UInt8 = 4, bodyBit: UInt8 = 8, maybeBit: UInt8 = 16

    private static let words = WordMatcher(substrings: [
        (positiveWords, positiveBit), (negativeWords, negativeBit), (unlikelyWords, unlikelyBit),
        (["articlebody", "article-body", "article__body", "article_body"], bodyBit), (maybeWords, maybeBit),
    ], tokens: [(positiveTokens, positiveBit), (negativeTokens, negativeBit), (unlikelyTokens, unlikelyBit)])

    /// +25/−25 for a class or id value, and whether it marks page furniture to remove before
    /// scoring (unless the same value also looks like body text). ASCII case is ignored.
    static func read(_ value: UnsafePointer<UInt8>) -> Reading {
        let m = words.match(value)
        var w = 0
        if m & negativeBit != 0 { w -= 25 }
        if m & positiveBit != 0 { w += 25 }
        return Reading(weight: w, unlikely: m & unlikelyBit != 0 && m & maybeBit == 0, articleBody: m & bodyBit != 0)
    }

    static func read(_ value: String) -> Reading {
        var copy = Array(value.utf8) + [0]
        return copy.withUnsafeMutableBufferPointer { read(UnsafePointer($0.baseAddress!)) }
    }
}

/// Finds many short ASCII words in a value in one pass: substring words are bucketed by first
/// byte, so each position is compared only with the words starting with its byte; token words
/// must fill a whole run of letters and digits.
struct WordMatcher: Sendable {
    private let buckets: [[(word: [UInt8], bits: UInt8)]]
    private let tokens: [(word: [UInt8], bits: UInt8)]
    /// Values longer than this are read only this far.
    private static let maxBytes = 512

    init(substrings: [([String], UInt8)], tokens: [([String], UInt8)]) {
        var b = [[(word: [UInt8], bits: UInt8)]](repeating: [], count: 256)
        for (list, bits) in substrings {
            for w in list where !w.isEmpty { b[Int(w.utf8.first!)].append((Array(w.utf8), bits)) }
        }
        buckets = b
        self.tokens = tokens.flatMap { list, bits in list.map { (Array($0.utf8), bits) } }
    }

    func match(_ raw: UnsafePointer<UInt8>) -> UInt8 {
        // Lower-cased copy on the stack-sized scratch buffer.
        var n = 0
        while raw[n] != 0 && n < Self.maxBytes { n += 1 }
        if n == 0 { return 0 }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: n) { h -> UInt8 in
            for i in 0..<n {
                let b = raw[i]
                h[i] = b >= 0x41 && b <= 0x5A ? b | 0x20 : b
            }
            var bits: UInt8 = 0
            var tokenStart = -1
            for i in 0...n {
                if i < n {
                    for entry in buckets[Int(h[i])] where entry.bits & bits == 0 && entry.word.count <= n - i {
                        var k = 1
                        while k < entry.word.count && h[i + k] == entry.word[k] { k += 1 }
                        if k == entry.word.count { bits |= entry.bits }
                    }
                }
                let isWordByte = i < n && ((h[i] >= 0x61 && h[i] <= 0x7A) || (h[i] >= 0x30 && h[i] <= 0x39))
                if isWordByte {
                    if tokenStart < 0 { tokenStart = i }
                } else if tokenStart >= 0 {
                    let len = i - tokenStart
                    for entry in tokens where entry.word.count == len && entry.bits & bits == 0 {
                        var k = 0
                        while k < len && h[tokenStart + k] == entry.word[k] { k += 1 }
                        if k == len { bits |= entry.bits }
                    }
                    tokenStart = -1
                }
            }
            return bits
        }
    }
}
