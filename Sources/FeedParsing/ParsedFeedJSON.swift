import DyadCore
import Foundation

/// Writes a `ParsedFeed` as one line of the `parse --jsonl` schema, byte for byte what
/// `DyadJSON.encoder()` produces (sorted keys, nil fields omitted, unescaped slashes, ISO-8601
/// UTC dates), but several times faster: Foundation's generic `JSONEncoder` was half of the
/// command's run time. A unit test pins the equivalence.
public enum ParsedFeedJSON {
    /// The JSON object (without newline) for `feed`, with a `"file"` member when `file` is given.
    public static func encode(_ feed: ParsedFeed, file: String? = nil) -> [UInt8] {
        var out: [UInt8] = []
        append(feed, file: file, to: &out)
        return out
    }

    /// Appends the JSON object for `feed` to `out` (no newline).
    public static func append(_ feed: ParsedFeed, file: String? = nil, to bytes: inout [UInt8]) {
        var out = ByteSink(capacity: estimatedBaseBytes + feed.entries.count * estimatedEntryBytes)
        write(feed, file: file, to: &out)
        out.withBytes { written in
            bytes.reserveCapacity(bytes.count + written.count + 1) // room for a caller's newline: no regrowth
            bytes.append(contentsOf: written)
        }
    }

    /// First guesses of the output size (the sink grows as needed).
    private static let estimatedBaseBytes = 512
    private static let estimatedEntryBytes = 2048

    private static func write(_ feed: ParsedFeed, file: String?, to out: inout ByteSink) {
        var w = JSONObjectWriter()
        w.begin(&out)
        w.string("encoding", feed.encoding, &out)
        w.array("entries", feed.entries, entry, &out)
        w.key("feed", &out); metadata(feed.feed, &out)
        w.string("file", file, &out)
        w.string("format", feed.format.rawValue, &out)
        w.stringArray("problems", feed.problems, &out)
        w.bool("wellFormed", feed.wellFormed, &out)
        w.end(&out)
    }

    private static func metadata(_ m: FeedMetadata, _ out: inout ByteSink) {
        var w = JSONObjectWriter()
        w.begin(&out)
        if let a = m.author { w.key("author", &out); person(a, &out) }
        w.array("categories", m.categories, category, &out)
        w.string("generator", m.generator, &out)
        w.string("id", m.id, &out)
        w.string("language", m.language, &out)
        w.string("link", m.link, &out)
        w.array("links", m.links, link, &out)
        w.string("rights", m.rights, &out)
        w.string("subtitle", m.subtitle, &out)
        w.string("title", m.title, &out)
        if let t = m.ttlMinutes { w.int("ttlMinutes", Int64(t), &out) }
        w.date("updated", m.updated, &out)
        w.end(&out)
    }

    private static func entry(_ e: FeedEntry, _ out: inout ByteSink) {
        var w = JSONObjectWriter()
        w.begin(&out)
        if let a = e.author { w.key("author", &out); person(a, &out) }
        w.array("categories", e.categories, category, &out)
        w.string("content", e.content, &out)
        w.array("enclosures", e.enclosures, enclosure, &out)
        w.string("id", e.id, &out)
        w.string("language", e.language, &out)
        w.string("link", e.link, &out)
        w.array("links", e.links, link, &out)
        w.date("published", e.published, &out)
        w.string("summary", e.summary, &out)
        w.string("text", e.text, &out)
        w.string("title", e.title, &out)
        w.date("updated", e.updated, &out)
        w.end(&out)
    }

    private static func person(_ p: Person, _ out: inout ByteSink) {
        var w = JSONObjectWriter()
        w.begin(&out); w.string("email", p.email, &out); w.string("name", p.name, &out); w.string("uri", p.uri, &out); w.end(&out)
    }

    private static func category(_ c: FeedCategory, _ out: inout ByteSink) {
        var w = JSONObjectWriter()
        w.begin(&out); w.string("label", c.label, &out); w.string("scheme", c.scheme, &out); w.string("term", c.term, &out); w.end(&out)
    }

    private static func link(_ l: FeedLink, _ out: inout ByteSink) {
        var w = JSONObjectWriter()
        w.begin(&out); w.string("href", l.href, &out); w.string("rel", l.rel, &out)
        w.string("title", l.title, &out); w.string("type", l.type, &out); w.end(&out)
    }

    private static func enclosure(_ e: FeedEnclosure, _ out: inout ByteSink) {
        var w = JSONObjectWriter()
        w.begin(&out)
        if let len = e.length { w.int("length", len, &out) }
        w.string("type", e.type, &out); w.string("url", e.url, &out)
        w.end(&out)
    }
}

/// Writes one JSON object's members into a caller's buffer (in the order given: callers give
/// sorted keys); only tracks whether a comma is needed.
private struct JSONObjectWriter {
    private var first = true

    mutating func begin(_ out: inout ByteSink) { out.append(UInt8(ascii: "{")); first = true }
    func end(_ out: inout ByteSink) { out.append(UInt8(ascii: "}")) }

    mutating func key(_ k: StaticString, _ out: inout ByteSink) {
        if !first { out.append(UInt8(ascii: ",")) }
        first = false
        out.append(UInt8(ascii: "\""))
        out.append(contentsOf: UnsafeBufferPointer(start: k.utf8Start, count: k.utf8CodeUnitCount))
        out.append(UInt8(ascii: "\""))
        out.append(UInt8(ascii: ":"))
    }

    mutating func string(_ k: StaticString, _ v: String?, _ out: inout ByteSink) {
        guard let v else { return }
        key(k, &out); JSONString.append(v, to: &out)
    }

    mutating func stringArray(_ k: StaticString, _ v: [String], _ out: inout ByteSink) {
        key(k, &out)
        out.append(UInt8(ascii: "["))
        for (i, s) in v.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            JSONString.append(s, to: &out)
        }
        out.append(UInt8(ascii: "]"))
    }

    mutating func array<T>(_ k: StaticString, _ v: [T], _ write: (T, inout ByteSink) -> Void, _ out: inout ByteSink) {
        key(k, &out)
        out.append(UInt8(ascii: "["))
        v.withUnsafeBufferPointer { items in
            for i in items.indices {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                write(items[i], &out) // borrowed: no copy of the element
            }
        }
        out.append(UInt8(ascii: "]"))
    }

    mutating func bool(_ k: StaticString, _ v: Bool, _ out: inout ByteSink) {
        key(k, &out)
        let text: StaticString = v ? "true" : "false"
        out.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    mutating func int(_ k: StaticString, _ v: Int64, _ out: inout ByteSink) {
        key(k, &out); out.append(utf8: String(v))
    }

    mutating func date(_ k: StaticString, _ v: Date?, _ out: inout ByteSink) {
        guard let v else { return }
        key(k, &out)
        out.append(UInt8(ascii: "\""))
        ISODateBytes.append(v, to: &out)
        out.append(UInt8(ascii: "\""))
    }
}

/// `YYYY-MM-DDTHH:MM:SSZ` for an instant (seconds rounded down), as `DyadCore.ISO8601.string`.
enum ISODateBytes {
    static func append(_ date: Date, to out: inout ByteSink) {
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
            if v < 0 { out.append(UInt8(ascii: "-")) }
            let x = abs(v)
            var d = 1 // 10^(width-1): zero-padded to `width` digits, more when the value needs them
            for _ in 1..<width { d *= 10 }
            while x >= d * 10 { d *= 10 }
            var rest = x
            while d > 0 { out.append(UInt8(0x30 + rest / d)); rest %= d; d /= 10 }
        }
        put(y, 4); out.append(UInt8(ascii: "-")); put(m, 2); out.append(UInt8(ascii: "-")); put(d, 2)
        out.append(UInt8(ascii: "T")); put(rem / 3600, 2); out.append(UInt8(ascii: ":")); put(rem / 60 % 60, 2)
        out.append(UInt8(ascii: ":")); put(rem % 60, 2); out.append(UInt8(ascii: "Z"))
    }
}
