/// Splits UTF-8 text into sentences on bytes: line breaks, `.` `!` `?` `;` followed by space (not after
/// an abbreviation or a single capital such as the "S" of "U.S."), and the Chinese/full-width
/// `。！？；`. Linear; no allocation per sentence beyond the range array.
enum SentenceSegmenter {
    /// Tokens that end with a period without ending a sentence (lower-case, without the period).
    static let abbreviationList: [[UInt8]] = ([
        "mr", "mrs", "ms", "dr", "st", "gen", "col", "lt", "sgt", "prof", "vs", "no", "jr", "sr", "inc", "ltd",
        "co", "corp", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
        "e.g", "i.e", "etc", "approx", "gov", "sen", "rep", "adm", "maj", "capt", "fig",
    ].map { Array($0.utf8) })
    /// Bytes that may end a sentence (or start a full-width one): everything else is skipped fast.
    static let interesting: [Bool] = (0..<256).map { b in
        [0x0A, 0x0D, 0x21, 0x3F, 0x3B, 0x2E, 0xE3, 0xEF].contains(b)
    }
    /// Longest token looked back at for the abbreviation test.
    static let maxAbbreviationLength = 6

    /// Sentence byte ranges (start, end), covering the text without the separators' trailing spaces.
    static func split(_ p: UnsafeBufferPointer<UInt8>, folded f: UnsafeBufferPointer<UInt8>) -> [(start: Int, end: Int)] {
        var out: [(start: Int, end: Int)] = []
        split(p, folded: f, into: &out)
        return out
    }

    /// `split` into a reused array (emptied first).
    static func split(_ p: UnsafeBufferPointer<UInt8>, folded f: UnsafeBufferPointer<UInt8>, into out: inout [(start: Int, end: Int)]) {
        // The previous article's ranges are overwritten in place and the surplus cut at the end
        // (a headline is usually one sentence again: no emptying and refilling).
        var emitted = 0
        defer { out.truncate(to: emitted) }
        let n = p.count
        var start = 0
        var i = 0
        func emit(_ end: Int) {
            var s = start, e = end
            while s < e && isSpace(p[s]) { s += 1 }
            while e > s && isSpace(p[e - 1]) { e -= 1 }
            guard e > s else { return }
            out.put((s, e), at: emitted)
            emitted += 1
        }
        let interesting = SentenceSegmenter.interesting
        while i < n {
            let b = p[i]
            if !interesting[Int(b)] { i += 1; continue }       // most bytes: one table look-up
            switch b {
            case 0x0A, 0x0D:
                emit(i); start = i + 1
            case UInt8(ascii: "!"), UInt8(ascii: "?"), UInt8(ascii: ";"):
                if i + 1 >= n || isSpace(p[i + 1]) || isCloseQuote(p, i + 1) { emit(i + 1); start = i + 1 }
            case UInt8(ascii: "."):
                if endsSentence(p, f, i) { emit(i + 1); start = i + 1 }
            case 0xE3 where i + 2 < n && p[i + 1] == 0x80 && p[i + 2] == 0x82:          // 。
                emit(i + 3); start = i + 3; i += 2
            case 0xEF where i + 2 < n && p[i + 1] == 0xBC && (p[i + 2] == 0x81 || p[i + 2] == 0x9F || p[i + 2] == 0x9B): // ！？；
                emit(i + 3); start = i + 3; i += 2
            default:
                break
            }
            i += 1
        }
        emit(n)
    }

    @inline(__always) static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }

    /// A closing quote right after punctuation (`."` `.”` `.»`).
    static func isCloseQuote(_ p: UnsafeBufferPointer<UInt8>, _ i: Int) -> Bool {
        if i < p.count && (p[i] == 0x22 || p[i] == 0x27) { return true }
        if i + 2 < p.count && p[i] == 0xE2 && p[i + 1] == 0x80 && (p[i + 2] == 0x9D || p[i + 2] == 0x99) { return true }
        if i + 1 < p.count && p[i] == 0xC2 && p[i + 1] == 0xBB { return true }
        return false
    }

    private static func endsSentence(_ p: UnsafeBufferPointer<UInt8>, _ f: UnsafeBufferPointer<UInt8>, _ i: Int) -> Bool {
        let n = p.count
        var j = i + 1
        if j < n && isCloseQuote(p, j) { j += (p[j] < 0x80 ? 1 : (p[j] == 0xC2 ? 2 : 3)) }
        if j < n && !isSpace(p[j]) { return false }          // "3.5", "U.S.A", "example.com"
        while j < n && p[j] == 0x20 { j += 1 }
        if j < n, (p[j] >= 0x61 && p[j] <= 0x7A) || (p[j] >= 0x30 && p[j] <= 0x39) { return false } // continues lower-case
        // Token before the period (looked at in place: no allocation per period).
        var k = i
        while k > 0 && k > i - maxAbbreviationLength - 1 && f[k - 1] != 0x20 && f[k - 1] < 0x80 { k -= 1 }
        let length = i - k
        if length == 1 && p[k] >= 0x41 && p[k] <= 0x5A { return false }   // initials, "U.S."
        if length >= 3 && f[i - 2] == UInt8(ascii: ".") { return false }    // "U.S" → "u.s"
        if length == 0 || length > maxAbbreviationLength || (k > 0 && f[k - 1] >= 0x80) { return true }
        return !abbreviationList.contains { $0.count == length && f[k..<i].elementsEqual($0) }
    }
}
