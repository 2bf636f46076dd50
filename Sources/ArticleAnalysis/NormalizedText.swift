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
        NormalizedText.fold(original, into: &folded)
        scalars.rebuild(original)
    }

    var count: Int { original.count }

    /// The original text of a byte range as a String (invalid UTF-8 cannot occur: input was a String).
    func string(_ start: Int, _ end: Int) -> String {
        original.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[start..<end]), as: UTF8.self) }
    }

    /// Number of Unicode scalars before byte `offset` (the offsets the results report).
    func scalarOffset(_ offset: Int) -> Int { scalars.scalarOffset(offset, in: original) }

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
        out.removeAll(keepingCapacity: true)
        out.append(contentsOf: bytes)
        let n = out.count
        asciiFold.withUnsafeBufferPointer { table in
        out.withUnsafeMutableBufferPointer { p in
            var i = 0
            while i < n {
                let b = p[i]
                if b < 0x80 {
                    p[i] = table[Int(b)]
                    i += 1
                } else if i + 1 < n {
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
                    i += 1
                } else {
                    i += 1
                }
            }
        }}
    }
}

/// Converts byte offsets to Unicode-scalar offsets in O(1) amortized: a scalar count sampled every
/// `stride` bytes, then a short scan. Costs n/16 32-bit words instead of one per byte.
struct ScalarOffsetIndex {
    /// Bytes between samples (a short scan bounds each lookup; 16 keeps lookups cheap at n/4 bytes of memory).
    static let stride = 16
    private var samples: [Int32] = []

    init() {}
    init(_ bytes: [UInt8]) { rebuild(bytes) }

    /// Texts up to this many bytes keep no samples: a look-up counts from the start (a headline).
    static let directScanBytes = 256

    /// Samples `bytes` afresh (the memory of the previous samples is kept).
    mutating func rebuild(_ bytes: [UInt8]) {
        samples.removeAll(keepingCapacity: true)
        guard bytes.count > ScalarOffsetIndex.directScanBytes else { return }
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

    /// Number of UTF-8 continuation bytes (10xxxxxx) among the eight bytes of `x`.
    @inline(__always)
    static func continuationBytes(_ x: UInt64) -> Int {
        (x & ~(x << 1) & 0x8080_8080_8080_8080).nonzeroBitCount
    }

    /// Number of scalars that start before byte `offset` of `bytes` (the bytes it was built from).
    func scalarOffset(_ offset: Int, in bytes: [UInt8]) -> Int {
        var count = 0, i = 0
        if !samples.isEmpty {
            let block = min(offset / ScalarOffsetIndex.stride, samples.count - 1)
            count = Int(samples[block])
            i = block * ScalarOffsetIndex.stride
        }
        let end = min(offset, bytes.count)
        bytes.withUnsafeBufferPointer { p in
            // Eight bytes at a time (every mention and evidence of a headline counts from its start).
            while i + 8 <= end {
                count += 8 - ScalarOffsetIndex.continuationBytes(UnsafeRawPointer(p.baseAddress! + i).loadUnaligned(as: UInt64.self))
                i += 8
            }
            while i < end {
                if p[i] & 0xC0 != 0x80 { count += 1 }
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
