import DyadCore
import Foundation

/// Writes a `ParsedFeed` as one line of the `parse --jsonl` schema, byte for byte what
/// `DyadJSON.encoder()` produces (sorted keys, nil fields omitted, unescaped slashes, ISO-8601
/// UTC dates), but several times faster: Foundation's generic `JSONEncoder` was half of the
/// command's run time. A unit test pins the equivalence.
public enum ParsedFeedJSON {
    /// The JSON object (without newline) for `feed`, with a `"file"` member when `file` is given.
    public static func encode(_ feed: ParsedFeed, file: String? = nil) -> [UInt8] {
        var w = JSONObjectWriter()
        w.begin()
        w.string("encoding", feed.encoding)
        w.array("entries", feed.entries, entry)
        w.key("feed"); metadata(feed.feed, &w.out)
        w.string("file", file)
        w.string("format", feed.format.rawValue)
        w.stringArray("problems", feed.problems)
        w.bool("wellFormed", feed.wellFormed)
        w.end()
        return w.out
    }

    private static func metadata(_ m: FeedMetadata, _ out: inout [UInt8]) {
        var w = JSONObjectWriter(out: out)
        w.begin()
        if let a = m.author { w.key("author"); person(a, &w.out) }
        w.array("categories", m.categories, category)
        w.string("generator", m.generator)
        w.string("id", m.id)
        w.string("language", m.language)
        w.string("link", m.link)
        w.array("links", m.links, link)
        w.string("rights", m.rights)
        w.string("subtitle", m.subtitle)
        w.string("title", m.title)
        if let t = m.ttlMinutes { w.int("ttlMinutes", Int64(t)) }
        w.date("updated", m.updated)
        w.end()
        out = w.out
    }

    private static func entry(_ e: FeedEntry, _ out: inout [UInt8]) {
        var w = JSONObjectWriter(out: out)
        w.begin()
        if let a = e.author { w.key("author"); person(a, &w.out) }
        w.array("categories", e.categories, category)
        w.string("content", e.content)
        w.array("enclosures", e.enclosures, enclosure)
        w.string("id", e.id)
        w.string("language", e.language)
        w.string("link", e.link)
        w.array("links", e.links, link)
        w.date("published", e.published)
        w.string("summary", e.summary)
        w.string("text", e.text)
        w.string("title", e.title)
        w.date("updated", e.updated)
        w.end()
        out = w.out
    }

    private static func person(_ p: Person, _ out: inout [UInt8]) {
        var w = JSONObjectWriter(out: out)
        w.begin(); w.string("email", p.email); w.string("name", p.name); w.string("uri", p.uri); w.end()
        out = w.out
    }

    private static func category(_ c: FeedCategory, _ out: inout [UInt8]) {
        var w = JSONObjectWriter(out: out)
        w.begin(); w.string("label", c.label); w.string("scheme", c.scheme); w.string("term", c.term); w.end()
        out = w.out
    }

    private static func link(_ l: FeedLink, _ out: inout [UInt8]) {
        var w = JSONObjectWriter(out: out)
        w.begin(); w.string("href", l.href); w.string("rel", l.rel); w.string("title", l.title); w.string("type", l.type); w.end()
        out = w.out
    }

    private static func enclosure(_ e: FeedEnclosure, _ out: inout [UInt8]) {
        var w = JSONObjectWriter(out: out)
        w.begin()
        if let len = e.length { w.int("length", len) }
        w.string("type", e.type); w.string("url", e.url)
        w.end()
        out = w.out
    }
}

/// Appends one JSON object's members (written in the order given: callers give sorted keys).
private struct JSONObjectWriter {
    var out: [UInt8] = []
    private var first = true

    init(out: [UInt8] = []) { self.out = out }

    mutating func begin() { out.append(UInt8(ascii: "{")); first = true }
    mutating func end() { out.append(UInt8(ascii: "}")) }

    mutating func key(_ k: StaticString) {
        if !first { out.append(UInt8(ascii: ",")) }
        first = false
        out.append(UInt8(ascii: "\""))
        out.append(contentsOf: UnsafeBufferPointer(start: k.utf8Start, count: k.utf8CodeUnitCount))
        out.append(UInt8(ascii: "\""))
        out.append(UInt8(ascii: ":"))
    }

    mutating func string(_ k: StaticString, _ v: String?) {
        guard let v else { return }
        key(k); JSONString.append(v, to: &out)
    }

    mutating func stringArray(_ k: StaticString, _ v: [String]) {
        key(k)
        out.append(UInt8(ascii: "["))
        for (i, s) in v.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            JSONString.append(s, to: &out)
        }
        out.append(UInt8(ascii: "]"))
    }

    mutating func array<T>(_ k: StaticString, _ v: [T], _ write: (T, inout [UInt8]) -> Void) {
        key(k)
        out.append(UInt8(ascii: "["))
        for (i, item) in v.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            write(item, &out)
        }
        out.append(UInt8(ascii: "]"))
    }

    mutating func bool(_ k: StaticString, _ v: Bool) {
        key(k); out.append(contentsOf: v ? Array("true".utf8) : Array("false".utf8))
    }

    mutating func int(_ k: StaticString, _ v: Int64) {
        key(k); out.append(contentsOf: Array(String(v).utf8))
    }

    mutating func date(_ k: StaticString, _ v: Date?) {
        guard let v else { return }
        key(k)
        out.append(UInt8(ascii: "\""))
        ISODateBytes.append(v, to: &out)
        out.append(UInt8(ascii: "\""))
    }
}

/// JSON string escaping as Foundation's JSONEncoder does it with `.withoutEscapingSlashes`.
enum JSONString {
    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    static func append(_ s: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var s = s
        s.withUTF8 { buf in
            var runStart = 0
            for i in 0..<buf.count {
                let b = buf[i]
                guard b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") else { continue }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: buf[runStart..<i]))
                runStart = i + 1
                out.append(UInt8(ascii: "\\"))
                switch b {
                case UInt8(ascii: "\""): out.append(UInt8(ascii: "\""))
                case UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\"))
                case 0x0A: out.append(UInt8(ascii: "n"))
                case 0x0D: out.append(UInt8(ascii: "r"))
                case 0x09: out.append(UInt8(ascii: "t"))
                case 0x08: out.append(UInt8(ascii: "b"))
                case 0x0C: out.append(UInt8(ascii: "f"))
                default:
                    out.append(contentsOf: Array("u00".utf8))
                    out.append(hex[Int(b >> 4)]); out.append(hex[Int(b & 0xF)])
                }
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: buf[runStart..<buf.count]))
        }
        out.append(UInt8(ascii: "\""))
    }
}

/// `YYYY-MM-DDTHH:MM:SSZ` for an instant (seconds rounded down), as `DyadCore.ISO8601.string`.
enum ISODateBytes {
    static func append(_ date: Date, to out: inout [UInt8]) {
        let secs = Int(date.timeIntervalSince1970.rounded(.down))
        var days = secs / 86_400
        var rem = secs % 86_400
        if rem < 0 { rem += 86_400; days -= 1 }
        // civil_from_days (Howard Hinnant)
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        func put(_ v: Int, _ width: Int) {
            var digits = [UInt8](repeating: 0x30, count: width)
            var x = abs(v)
            for k in stride(from: width - 1, through: 0, by: -1) { digits[k] = UInt8(0x30 + x % 10); x /= 10 }
            if v < 0 { out.append(UInt8(ascii: "-")) }
            out.append(contentsOf: digits)
        }
        put(y, 4); out.append(UInt8(ascii: "-")); put(m, 2); out.append(UInt8(ascii: "-")); put(d, 2)
        out.append(UInt8(ascii: "T")); put(rem / 3600, 2); out.append(UInt8(ascii: ":")); put(rem / 60 % 60, 2)
        out.append(UInt8(ascii: ":")); put(rem % 60, 2); out.append(UInt8(ascii: "Z"))
    }
}
