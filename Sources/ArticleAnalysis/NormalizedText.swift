import Foundation

/// An article's text as UTF-8 bytes plus a case-folded copy of the same length, so byte offsets
/// found in the folded copy index the original directly (no per-token allocation, linear time).
/// Reloadable: a worker keeps one and refills its buffers article after article.
struct NormalizedText {
    /// UTF-8 of `title + "\n" + text`.
    private(set) var original: [UInt8] = []
    /// Same length as `original`: ASCII, Latin-1 and Cyrillic letters lower-cased, `ё` → `е`,
    /// hyphen and ASCII whitespace → space (so "Sino-Russian" and "no-limits" match spaced phrases).
    private(set) var folded: [UInt8] = []
    /// Byte index of the "\n" that separates title from text (= title length in bytes).
    private(set) var titleEnd = 0
    private(set) var scalars = ScalarOffsetIndex()
    /// Letters by script in the first `LanguageGuess.sampleBytes` bytes (counted while folding).
    private(set) var scripts = LanguageGuess.ScriptCounts()

    init() {}

    init(title: String, text: String) {
        var title = title, text = text
        title.withUTF8 { t in text.withUTF8 { load(title: t, text: $0) } }
    }

    /// Refills every buffer from the UTF-8 of a title and a text (valid UTF-8), keeping their memory.
    mutating func load(title: UnsafeBufferPointer<UInt8>, text: UnsafeBufferPointer<UInt8>) {
        original.removeAll(keepingCapacity: true)
        original.reserveCapacity(title.count + 1 + text.count)
        original.append(contentsOf: title)
        titleEnd = original.count
        original.append(0x0A)
        original.append(contentsOf: text)
        let (scripts, asciiPrefix) = NormalizedText.foldCountingPrefix(original, into: &folded, counting: LanguageGuess.sampleBytes)
        self.scripts = scripts
        scalars.rebuild(original, asciiPrefix: asciiPrefix)
    }

    var count: Int { original.count }

    /// The original text of a byte range as a String (invalid UTF-8 cannot occur: input was a String).
    func string(_ start: Int, _ end: Int) -> String {
        original.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[start..<end]), as: UTF8.self) }
    }

    /// Number of Unicode scalars before byte `offset` (the offsets the results report).
    func scalarOffset(_ offset: Int) -> Int { scalars.scalarOffset(offset, in: original) }

    /// Scalar offsets of both ends of a byte range: the end counted on from the start, not from
    /// the text's beginning again.
    func scalarRange(_ start: Int, _ end: Int) -> (start: Int, end: Int) {
        let s = scalarOffset(start)
        guard start <= end, end <= original.count else { return (s, scalarOffset(end)) }
        return (s, s + ScalarOffsetIndex.scalarCount(original, from: start, to: end))
    }

    /// ASCII part of the folding as a table: A–Z → a–z; hyphen, tab, CR, LF → space.
    static let asciiFold: [UInt8] = (0..<128).map { (c: Int) -> UInt8 in
        let b = UInt8(c)
        if b >= 0x41 && b <= 0x5A { return b &+ 0x20 }
        if b == 0x2D || b == 0x09 || b == 0x0A || b == 0x0D { return 0x20 }
        return b
    }

    /// Case folding that keeps byte length: the analyzer's whole normalization step.
    static func fold(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        fold(bytes, into: &out)
        return out
    }

    /// `fold` into a reused buffer.
    static func fold(_ bytes: [UInt8], into out: inout [UInt8]) {
        _ = fold(bytes, into: &out, counting: 0)
    }

    /// `fold` into a reused buffer, counting the script of the letters among the first
    /// `countedBytes` bytes on the way (what `LanguageGuess` weighs), so the language guess does
    /// not read the text a second time.
    static func fold(_ bytes: [UInt8], into out: inout [UInt8], counting countedBytes: Int) -> LanguageGuess.ScriptCounts {
        foldCountingPrefix(bytes, into: &out, counting: countedBytes).scripts
    }

    /// Makes `a` a copy of `source`, keeping its memory: the bytes both have are overwritten in
    /// place, then the rest appended or the surplus cut (consecutive texts differ little in length).
    static func refill(_ a: inout [UInt8], from source: UnsafeBufferPointer<UInt8>) {
        let n = source.count, c = a.count
        let common = min(n, c)
        if common > 0, let from = source.baseAddress {
            a.withUnsafeMutableBufferPointer { p in p.baseAddress?.update(from: from, count: common) }
        }
        if n > c { a.append(contentsOf: UnsafeBufferPointer(rebasing: source[c...])) } else { a.truncate(to: n) }
    }

    /// `fold(_:into:counting:)`, also giving the length of the leading run of ASCII bytes (for
    /// `ScalarOffsetIndex`), found on the way: the first byte the ASCII blocks do not take.
    static func foldCountingPrefix(_ bytes: [UInt8], into out: inout [UInt8],
                                   counting countedBytes: Int) -> (scripts: LanguageGuess.ScriptCounts, asciiPrefix: Int) {
        bytes.withUnsafeBufferPointer { refill(&out, from: $0) }
        let n = out.count
        var counts = LanguageGuess.ScriptCounts()
        var firstNonASCII = n
        asciiFold.withUnsafeBufferPointer { table in
        LanguageGuess.scriptBits.withUnsafeBufferPointer { scriptBits in
        out.withUnsafeMutableBufferPointer { p in
            // One byte: ASCII through the table, a two-byte letter (Cyrillic, Latin-1) lower-cased
            // in place. Every non-ASCII byte is looked at as a lead byte: continuation bytes
            // (0x80–0xBF, also after folding) match no case.
            @inline(__always) func foldByte(_ i: Int) {
                let b = p[i]
                if b < 0x80 {
                    p[i] = table[Int(b)]
                    return
                }
                // Bytes are visited in order and folding keeps every byte on its side of 0x80.
                if firstNonASCII == n { firstNonASCII = i }
                if i + 1 < n {
                    let c = p[i + 1]
                    switch b {
                    case 0xD0:
                        if c >= 0x90 && c <= 0x9F { p[i + 1] = c &+ 0x20 }              // А..П → а..п
                        else if c >= 0xA0 && c <= 0xAF { p[i] = 0xD1; p[i + 1] = c &- 0x20 } // Р..Я → р..я
                        else if c == 0x81 { p[i + 1] = 0xB5 }                            // Ё → е
                    case 0xD1:
                        if c == 0x91 { p[i] = 0xD0; p[i + 1] = 0xB5 }                    // ё → е
                    case 0xC3:
                        if c >= 0x80 && c <= 0x9E && c != 0x97 { p[i + 1] = c &+ 0x20 }  // À..Þ → à..þ
                    default: break
                    }
                }
            }
            // Script bits of a byte about to be folded: folding keeps them (it only swaps the
            // Cyrillic lead bytes D0/D1 and changes continuation bytes, which have none).
            @inline(__always) func count(_ b: UInt8) {
                let bit = scriptBits[Int(b)]
                counts.latin &+= Int(bit & 1)
                counts.cyrillic &+= Int((bit >> 1) & 1)
                counts.cjk &+= Int(bit >> 2)
            }
            // ASCII eight bytes at a time (SWAR), other bytes one by one, up to `end`.
            var i = 0
            @inline(__always) func run(to end: Int, counted: Bool) {
                var asciiLetters = 0                // the ASCII blocks' letters, kept in a register
                defer { counts.latin &+= asciiLetters }
                while i < end {
                    if i + 8 <= end, let raw = UnsafeMutableRawPointer(p.baseAddress) {
                        // In bounds: i + 8 <= end <= n. Unaligned loads and stores of 8 bytes.
                        let x = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                        if x & ASCIIWord.highs == 0 {
                            let (folded, letters) = ASCIIWord.fold(x)
                            raw.storeBytes(of: folded, toByteOffset: i, as: UInt64.self)
                            if counted { asciiLetters &+= letters }
                            i += 8
                            continue
                        }
                    }
                    // A block with a non-ASCII byte (or the tail): byte by byte up to the next block.
                    let stop = min(end, i + 8)
                    while i < stop {
                        if counted { count(p[i]) }
                        foldByte(i)
                        i += 1
                    }
                }
            }
            run(to: min(n, max(countedBytes, 0)), counted: true)     // the counted prefix
            run(to: n, counted: false)
        }}}
        return (counts, firstNonASCII)
    }
}

/// Eight ASCII bytes in a `UInt64` folded at once (SWAR: each byte a lane; no lane carries into
/// the next, since every byte is below 0x80). Same result as `NormalizedText.asciiFold` per byte.
enum ASCIIWord {
    static let ones: UInt64 = 0x0101_0101_0101_0101
    static let highs: UInt64 = 0x8080_8080_8080_8080
    static let lows: UInt64 = 0x7F7F_7F7F_7F7F_7F7F

    /// Lanes (high bit) whose byte is ≥ `c`, for 1 ≤ c ≤ 0x80.
    @inline(__always)
    static func atLeast(_ x: UInt64, _ c: UInt8) -> UInt64 { (x &+ UInt64(0x80 &- c) &* ones) & highs }

    /// Lanes (high bit) whose byte equals `c` (< 0x80).
    @inline(__always)
    static func equal(_ x: UInt64, _ c: UInt8) -> UInt64 { ~((x ^ UInt64(c) &* ones) &+ lows) & highs }

    /// A–Z → a–z; hyphen, tab, LF, CR → space; and the number of ASCII letters (A–Z, a–z).
    @inline(__always)
    static func fold(_ x: UInt64) -> (UInt64, Int) {
        // With bit 5 set, A–Z become a–z and nothing else does: one range test finds every letter.
        let letters = atLeast(x | 0x20 &* ones, 0x61) & ~atLeast(x | 0x20 &* ones, 0x7B)
        let upper = letters & ~(x << 2)                        // bit 5 (moved to bit 7) clear: A–Z
        // 0x0D | 0x20 = 0x2D: one test for CR and hyphen.
        let spaces = (equal(x | 0x20 &* ones, 0x2D) | equal(x, 0x09) | equal(x, 0x0A)) >> 7   // 0x01 per lane
        let folded = ((x | upper >> 2) & ~(spaces &* 0xFF)) | spaces &* 0x20
        // One letter lane is 0x80: shifted to 0x01 per lane, a multiply sums the lanes into the top
        // byte (at most 8) — cheaper than a population count without the POPCNT instruction.
        return (folded, Int((((letters >> 7) &* ones) >> 56)))
    }
}

/// Converts byte offsets to Unicode-scalar offsets in O(1) amortized: a scalar count sampled every
/// `stride` bytes, then a short scan. Costs n/16 32-bit words instead of one per byte.
struct ScalarOffsetIndex {
    /// Bytes between samples (a short scan bounds each lookup; 16 keeps lookups cheap at n/4 bytes of memory).
    static let stride = 16
    private var samples: [Int32] = []
    /// Bytes before the first non-ASCII byte: below it a scalar offset is the byte offset (most
    /// English headlines are ASCII throughout, so their look-ups cost nothing).
    private var asciiPrefix = 0

    init() {}
    init(_ bytes: [UInt8]) { rebuild(bytes) }

    /// Samples `bytes` afresh, finding their ASCII prefix first.
    mutating func rebuild(_ bytes: [UInt8]) {
        rebuild(bytes, asciiPrefix: ScalarOffsetIndex.asciiPrefixLength(bytes))
    }

    /// Texts up to this many bytes keep no samples: a look-up counts from the start (a headline).
    static let directScanBytes = 256

    /// Samples `bytes` afresh (the memory of the previous samples is kept), given the length of
    /// their leading run of ASCII bytes.
    mutating func rebuild(_ bytes: [UInt8], asciiPrefix: Int) {
        if !samples.isEmpty { samples.removeAll(keepingCapacity: true) }
        self.asciiPrefix = asciiPrefix
        guard bytes.count > ScalarOffsetIndex.directScanBytes, asciiPrefix < bytes.count else { return }
        samples.reserveCapacity(bytes.count / ScalarOffsetIndex.stride + 2)
        var count: Int32 = 0
        var s = samples
        samples = []
        bytes.withUnsafeBufferPointer { p in
            let n = p.count
            var block = 0
            // Whole blocks: count continuation bytes eight at a time.
            while block + ScalarOffsetIndex.stride <= n {
                s.append(count)
                let raw = UnsafeRawPointer(p.baseAddress! + block)
                var continuation = 0
                for word in 0..<(ScalarOffsetIndex.stride / 8) {
                    continuation += ScalarOffsetIndex.continuationBytes(raw.loadUnaligned(fromByteOffset: word * 8, as: UInt64.self))
                }
                count += Int32(ScalarOffsetIndex.stride - continuation)
                block += ScalarOffsetIndex.stride
            }
            if block < n {
                s.append(count)
                for i in block..<n where p[i] & 0xC0 != 0x80 { count += 1 }
            }
        }
        s.append(count)
        samples = s
    }

    /// Length of the leading run of ASCII bytes, eight bytes at a time.
    static func asciiPrefixLength(_ bytes: [UInt8]) -> Int {
        bytes.withUnsafeBytes { raw in
            let n = raw.count
            var i = 0
            while i + 8 <= n {
                let high = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) & ASCIIWord.highs
                if high != 0 { return i + high.trailingZeroBitCount / 8 }   // the first lane with its high bit set
                i += 8
            }
            while i < n && raw[i] < 0x80 { i += 1 }
            return i
        }
    }

    /// Number of scalars that start in bytes `from..<to` of `bytes` (in bounds, from ≤ to).
    static func scalarCount(_ bytes: [UInt8], from: Int, to: Int) -> Int {
        bytes.withUnsafeBytes { raw in
            var count = 0, i = from
            while i + 8 <= to {
                count += 8 - continuationBytes(raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                i += 8
            }
            while i < to {
                if raw[i] & 0xC0 != 0x80 { count += 1 }
                i += 1
            }
            return count
        }
    }

    /// Number of UTF-8 continuation bytes (10xxxxxx) among the eight bytes of `x`.
    @inline(__always)
    static func continuationBytes(_ x: UInt64) -> Int {
        (x & ~(x << 1) & 0x8080_8080_8080_8080).nonzeroBitCount
    }

    /// Number of scalars that start before byte `offset` of `bytes` (the bytes it was built from).
    func scalarOffset(_ offset: Int, in bytes: [UInt8]) -> Int {
        if offset <= asciiPrefix { return offset }
        var count = asciiPrefix, i = asciiPrefix
        if !samples.isEmpty {
            let block = min(offset / ScalarOffsetIndex.stride, samples.count - 1)
            if block * ScalarOffsetIndex.stride > i {
                count = Int(samples[block])
                i = block * ScalarOffsetIndex.stride
            }
        }
        let end = min(offset, bytes.count)
        bytes.withUnsafeBytes { raw in
            // Eight bytes at a time (i + 8 <= end keeps the load in bounds), then byte by byte.
            while i + 8 <= end {
                count += 8 - ScalarOffsetIndex.continuationBytes(raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                i += 8
            }
            while i < end {
                if raw[i] & 0xC0 != 0x80 { count += 1 }
                i += 1
            }
        }
        return count
    }
}

/// Character classes on UTF-8 lead bytes: what counts as a "word" character for boundary checks.
/// Latin, Latin-1/Extended and Cyrillic letters and digits are word characters; CJK, punctuation
/// and symbols are not (so Chinese patterns match anywhere, English and Russian only on word edges).
enum ByteClass {
    static let isWordLead: [Bool] = {
        var t = [Bool](repeating: false, count: 256)
        for b in UInt8(ascii: "a")...UInt8(ascii: "z") { t[Int(b)] = true }
        for b in UInt8(ascii: "A")...UInt8(ascii: "Z") { t[Int(b)] = true }
        for b in UInt8(ascii: "0")...UInt8(ascii: "9") { t[Int(b)] = true }
        for b in 0xC3...0xC9 { t[b] = true }   // U+00C0…U+027F Latin-1 letters, Latin Extended
        for b in 0xD0...0xD3 { t[b] = true }   // U+0400…U+04FF Cyrillic
        return t
    }()

    /// Whether the scalar that ends just before byte `i` is a word character.
    @inline(__always)
    static func previousIsWord(_ p: UnsafeBufferPointer<UInt8>, _ i: Int) -> Bool {
        if i == 0 { return false }
        var j = i - 1
        var steps = 0
        while j > 0 && p[j] & 0xC0 == 0x80 && steps < 3 { j -= 1; steps += 1 }
        return isWordLead[Int(p[j])]
    }

    /// Whether the scalar starting at byte `i` is a word character (false at the end).
    @inline(__always)
    static func nextIsWord(_ p: UnsafeBufferPointer<UInt8>, _ i: Int) -> Bool {
        i < p.count && isWordLead[Int(p[i])]
    }
}
