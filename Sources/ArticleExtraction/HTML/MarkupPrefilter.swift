#if canImport(Glibc)
import Glibc
#endif

/// Shrinks a page before libxml2 parses it, without changing the tree the extractor sees:
/// `<script>`/`<style>` bodies are emptied (JSON-LD kept), comments dropped, and start tags keep
/// only the attributes the extractor reads (class, id, role, itemprop, meta/link fields…).
/// On a typical news page that is two thirds of the bytes, and parsing is most of the run time.
///
/// The scan follows the HTML tokenizer where it matters: a raw-text element's content ends at
/// the first `</script` / `</style`; attribute values may be quoted with `"` or `'` (a `>` inside
/// them does not end the tag) or unquoted; a `<` not followed by a letter, `/`, `!` or `?` is text.
/// A tag cut off by the end of the input is copied unchanged for libxml2 to recover.
enum MarkupPrefilter {
    static func filter(_ bytes: [UInt8]) -> [UInt8] {
        bytes.withUnsafeBufferPointer { buf -> [UInt8] in
            guard let base = buf.baseAddress, buf.count > 0 else { return bytes }
            var f = Filter(buf: buf, base: base)
            f.run()
            return f.out
        }
    }

    /// Attributes the extractor (ElementIndex, MetadataReader) reads, on any element, by length.
    private static let keptByLength: [[[UInt8]]] = {
        let names = ["class", "id", "style", "hidden", "aria-hidden", "role", "itemprop", "itemtype", "rel", "content", "name",
                     "property", "http-equiv", "charset", "type", "lang", "xml:lang", "datetime", "pubdate"]
        var t = [[[UInt8]]](repeating: [], count: 16)
        for name in names { t[name.utf8.count].append(Array(name.utf8)) }
        return t
    }()
    /// Kept only on `<link>` and `<base>` (an anchor's href is long and never read).
    private static let href = Array("href".utf8)

    private struct Filter {
        let buf: UnsafeBufferPointer<UInt8>
        let base: UnsafePointer<UInt8>
        var out: [UInt8] = []
        var copied = 0  // buf[copied..<i] is pending verbatim copy
        var pieces: [(Int, Int)] = []  // kept attribute byte ranges of the current tag

        init(buf: UnsafeBufferPointer<UInt8>, base: UnsafePointer<UInt8>) {
            self.buf = buf
            self.base = base
            out.reserveCapacity(buf.count / 2)
        }

        var n: Int { buf.count }

        mutating func flush(to end: Int) {
            if end > copied { out.append(contentsOf: UnsafeBufferPointer(rebasing: buf[copied..<end])) }
            copied = end
        }

        mutating func run() {
            var i = 0
            while i < n {
                guard let p = memchr(base + i, 0x3C, n - i) else { break }
                let lt = UnsafePointer<UInt8>(p.assumingMemoryBound(to: UInt8.self)) - base
                i = lt + 1
                guard i < n else { break }
                let c = buf[i]
                if c == UInt8(ascii: "!") {
                    if matches(i + 1, "--") {
                        // A comment: dropped whole (an unterminated one runs to the end, as in HTML).
                        let end = find("-->", from: i + 3, caseInsensitive: false).map { $0 + 3 } ?? n
                        flush(to: lt)
                        copied = end
                        i = end
                    }
                    continue
                }
                guard isLetter(c) else { continue }  // end tags, <? and text "<" are copied as they are
                i = startTag(lt)
            }
            flush(to: n)
        }

        /// Rewrites the start tag at `lt`; returns where scanning goes on.
        mutating func startTag(_ lt: Int) -> Int {
            var i = lt + 1
            while i < n && !isSpace(buf[i]) && buf[i] != UInt8(ascii: ">") && buf[i] != UInt8(ascii: "/") { i += 1 }
            let nameEnd = i
            let nameLength = nameEnd - lt - 1
            let keepHref = nameLength == 4 && (matches(lt + 1, "link", caseInsensitive: true) || matches(lt + 1, "base", caseInsensitive: true))
            let rawText: String? = nameLength == 6 && matches(lt + 1, "script", caseInsensitive: true) ? "</script"
                : nameLength == 5 && matches(lt + 1, "style", caseInsensitive: true) ? "</style" : nil
            pieces.removeAll(keepingCapacity: true)
            var dropped = false
            while true {
                while i < n && (isSpace(buf[i]) || buf[i] == UInt8(ascii: "/")) { i += 1 }
                guard i < n else { return n }  // cut off: leave it all for libxml2
                if buf[i] == UInt8(ascii: ">") { break }
                let attrStart = i
                i += 1
                while i < n && !isSpace(buf[i]) && buf[i] != UInt8(ascii: ">") && buf[i] != UInt8(ascii: "/") && buf[i] != UInt8(ascii: "=") { i += 1 }
                let attrEnd = i
                var j = i
                while j < n && isSpace(buf[j]) { j += 1 }
                if j < n && buf[j] == UInt8(ascii: "=") {
                    j += 1
                    while j < n && isSpace(buf[j]) { j += 1 }
                    guard j < n else { return n }
                    let q = buf[j]
                    if q == UInt8(ascii: "\"") || q == UInt8(ascii: "'") {
                        guard let close = memchr(base + j + 1, Int32(q), n - j - 1) else { return n }
                        j = UnsafePointer<UInt8>(close.assumingMemoryBound(to: UInt8.self)) - base + 1
                    } else {
                        while j < n && !isSpace(buf[j]) && buf[j] != UInt8(ascii: ">") { j += 1 }
                    }
                    i = j
                }
                if isKept(attrStart, attrEnd) || (keepHref && equalsLowered(attrStart, attrEnd, MarkupPrefilter.href)) {
                    pieces.append((attrStart, i))
                } else {
                    dropped = true
                }
            }
            let gt = i  // buf[gt] == ">"
            if dropped {
                flush(to: nameEnd)
                for (s, e) in pieces {
                    out.append(0x20)
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: buf[s..<e]))
                }
                copied = gt
            }
            // Raw-text elements: their content is not markup.
            if let rawText {
                let close = find(rawText, from: gt + 1, caseInsensitive: true) ?? n
                let isJSONLD = rawText == "</script" && pieces.contains { containsJSONLD($0.0, $0.1) }
                if !isJSONLD {
                    flush(to: gt + 1)
                    copied = close
                }
                return close
            }
            return gt + 1
        }

        func containsJSONLD(_ s: Int, _ e: Int) -> Bool {
            guard let at = find("ld+json", from: s, caseInsensitive: true) else { return false }
            return at < e
        }

        func isKept(_ s: Int, _ e: Int) -> Bool {
            let len = e - s
            guard len > 0 && len < 16 else { return false }
            for name in MarkupPrefilter.keptByLength[len] where equalsLowered(s, e, name) { return true }
            return false
        }

        func equalsLowered(_ s: Int, _ e: Int, _ word: [UInt8]) -> Bool {
            guard e - s == word.count else { return false }
            for k in 0..<word.count {
                let b = buf[s + k]
                if (b >= 0x41 && b <= 0x5A ? b | 0x20 : b) != word[k] { return false }
            }
            return true
        }

        func matches(_ at: Int, _ word: String, caseInsensitive: Bool = false) -> Bool {
            var k = at
            for b in word.utf8 {
                guard k < n else { return false }
                let c = caseInsensitive && buf[k] >= 0x41 && buf[k] <= 0x5A ? buf[k] | 0x20 : buf[k]
                guard c == b else { return false }
                k += 1
            }
            return true
        }

        /// The offset of `word` (lower case) at or after `from`.
        func find(_ word: String, from: Int, caseInsensitive: Bool) -> Int? {
            guard let first = word.utf8.first else { return nil }
            var i = from
            while i < n {
                guard let p = memchr(base + i, Int32(first), n - i) else { return nil }
                let at = UnsafePointer<UInt8>(p.assumingMemoryBound(to: UInt8.self)) - base
                if matches(at, word, caseInsensitive: caseInsensitive) { return at }
                i = at + 1
            }
            return nil
        }

        func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D || b == 0x0C }
        func isLetter(_ b: UInt8) -> Bool { (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A }
    }
}
