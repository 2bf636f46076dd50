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

/// Finds many short ASCII words in a value in one pass: substring words are bucketed by their
/// first two bytes, so each position is compared only with the words starting there; token words
/// must fill a whole run of letters and digits. Words live in one flat byte pool.
struct WordMatcher: Sendable {
    /// All words, back to back.
    private let pool: [UInt8]
    /// Substring words: (offset, length, bits), grouped by first byte.
    private let entries: [(offset: Int32, length: Int32, bits: UInt8)]
    /// For first two bytes p, entries[bucketStart[p]..<bucketStart[p+1]].
    private let bucketStart: [Int32]
    private let tokens: [(offset: Int32, length: Int32, bits: UInt8)]
    /// Values longer than this are read only this far.
    private static let maxBytes = 512

    init(substrings: [([String], UInt8)], tokens: [([String], UInt8)]) {
        var pool: [UInt8] = []
        var byFirst = [[(Int32, Int32, UInt8)]](repeating: [], count: 65536)
        for (list, bits) in substrings {
            for w in list {
                let b = Array(w.utf8)
                precondition(b.count >= 2, "substring words have two bytes or more")
                byFirst[Int(b[0]) << 8 | Int(b[1])].append((Int32(pool.count), Int32(b.count), bits))
                pool += b
            }
        }
        var entries: [(offset: Int32, length: Int32, bits: UInt8)] = []
        var starts: [Int32] = []
        for bucket in byFirst {
            starts.append(Int32(entries.count))
            entries += bucket.map { (offset: $0.0, length: $0.1, bits: $0.2) }
        }
        starts.append(Int32(entries.count))
        var toks: [(offset: Int32, length: Int32, bits: UInt8)] = []
        for (list, bits) in tokens {
            for w in list where !w.isEmpty {
                toks.append((Int32(pool.count), Int32(w.utf8.count), bits))
                pool += Array(w.utf8)
            }
        }
        self.pool = pool
        self.entries = entries
        self.bucketStart = starts
        self.tokens = toks
    }

    func match(_ raw: UnsafePointer<UInt8>) -> UInt8 {
        var n = 0
        while raw[n] != 0 && n < Self.maxBytes { n += 1 }
        if n == 0 { return 0 }
        return pool.withUnsafeBufferPointer { pool in
            entries.withUnsafeBufferPointer { entries in
                bucketStart.withUnsafeBufferPointer { starts in
                    tokens.withUnsafeBufferPointer { tokens in
                        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: n) { h -> UInt8 in
                            for i in 0..<n {
                                let b = raw[i]
                                h[i] = b >= 0x41 && b <= 0x5A ? b | 0x20 : b
                            }
                            var bits: UInt8 = 0
                            var tokenStart = -1
                            for i in 0...n {
                                if i + 1 < n {
                                    let first = Int(h[i]) << 8 | Int(h[i + 1])
                                    var e = Int(starts[first])
                                    let end = Int(starts[first + 1])
                                    while e < end {
                                        let entry = entries[e]
                                        e += 1
                                        let len = Int(entry.length)
                                        guard entry.bits & bits == 0, len <= n - i else { continue }
                                        let off = Int(entry.offset)
                                        var k = 2
                                        while k < len && h[i + k] == pool[off + k] { k += 1 }
                                        if k == len { bits |= entry.bits }
                                    }
                                }
                                let isWordByte = i < n && ((h[i] >= 0x61 && h[i] <= 0x7A) || (h[i] >= 0x30 && h[i] <= 0x39))
                                if isWordByte {
                                    if tokenStart < 0 { tokenStart = i }
                                } else if tokenStart >= 0 {
                                    let len = i - tokenStart
                                    for t in tokens where Int(t.length) == len && t.bits & bits == 0 {
                                        let off = Int(t.offset)
                                        var k = 0
                                        while k < len && h[tokenStart + k] == pool[off + k] { k += 1 }
                                        if k == len { bits |= t.bits }
                                    }
                                    tokenStart = -1
                                }
                            }
                            return bits
                        }
                    }
                }
            }
        }
    }
}
