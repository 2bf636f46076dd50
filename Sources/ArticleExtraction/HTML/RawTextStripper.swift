#if canImport(Glibc)
import Glibc
#endif

/// Empties `<script>` and `<style>` elements before parsing (keeping JSON-LD scripts): on a
/// typical news page they are half the bytes, and the HTML parser would otherwise copy them
/// character by character into text nodes nobody reads. The tags stay, so the tree is the same.
/// Follows the HTML tokenizer's rule for these raw-text elements: their content ends at the first
/// `</script` / `</style`, whatever comes before it; comments are skipped whole.
enum RawTextStripper {
    static func strip(_ bytes: [UInt8]) -> [UInt8] {
        bytes.withUnsafeBufferPointer { buf -> [UInt8] in
            guard let base = buf.baseAddress else { return [] }
            let n = buf.count
            var out: [UInt8] = []
            var kept = 0     // bytes[kept..<i] not yet copied
            var i = 0
            while i < n {
                guard let p = memchr(base + i, 0x3C, n - i) else { break }
                let lt = UnsafePointer<UInt8>(p.assumingMemoryBound(to: UInt8.self)) - base
                i = lt + 1
                if matches(buf, at: i, "!--") {
                    i = find(buf, "-->", from: i + 3, caseInsensitive: false).map { $0 + 3 } ?? n
                    continue
                }
                let name: String
                if matches(buf, at: i, "script") && isNameEnd(buf, i + 6) { name = "script" }
                else if matches(buf, at: i, "style") && isNameEnd(buf, i + 5) { name = "style" }
                else { continue }
                guard let gt = memchr(base + i, 0x3E, n - i) else { break }
                let contentStart = UnsafePointer<UInt8>(gt.assumingMemoryBound(to: UInt8.self)) - base + 1
                let end = find(buf, "</" + name, from: contentStart, caseInsensitive: true) ?? n
                let isJSONLD = name == "script" && find(UnsafeBufferPointer(rebasing: buf[lt..<contentStart]), "ld+json", from: 0, caseInsensitive: true) != nil
                if !isJSONLD && end > contentStart {
                    if out.isEmpty { out.reserveCapacity(n / 2) }
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: buf[kept..<contentStart]))
                    kept = end
                }
                i = end
            }
            if kept == 0 { return bytes }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: buf[kept..<n]))
            return out
        }
    }

    /// ASCII case-insensitive match of lower-case `word` at `at`.
    private static func matches(_ buf: UnsafeBufferPointer<UInt8>, at: Int, _ word: String) -> Bool {
        var k = at
        for b in word.utf8 {
            guard k < buf.count, buf[k] | (buf[k] >= 0x41 && buf[k] <= 0x5A ? 0x20 : 0) == b else { return false }
            k += 1
        }
        return true
    }

    private static func isNameEnd(_ buf: UnsafeBufferPointer<UInt8>, _ k: Int) -> Bool {
        guard k < buf.count else { return true }
        let b = buf[k]
        return b == 0x3E || b == 0x2F || b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D || b == 0x0C
    }

    /// The offset of `word` at or after `from`.
    private static func find(_ buf: UnsafeBufferPointer<UInt8>, _ word: String, from: Int, caseInsensitive: Bool) -> Int? {
        guard let base = buf.baseAddress, let first = word.utf8.first else { return nil }
        var i = from
        while i < buf.count {
            guard let p = memchr(base + i, Int32(first), buf.count - i) else { return nil }
            let at = UnsafePointer<UInt8>(p.assumingMemoryBound(to: UInt8.self)) - base
            if caseInsensitive ? matches(buf, at: at, word) : matchesExactly(buf, at: at, word) { return at }
            i = at + 1
        }
        return nil
    }

    private static func matchesExactly(_ buf: UnsafeBufferPointer<UInt8>, at: Int, _ word: String) -> Bool {
        var k = at
        for b in word.utf8 {
            guard k < buf.count, buf[k] == b else { return false }
            k += 1
        }
        return true
    }
}
