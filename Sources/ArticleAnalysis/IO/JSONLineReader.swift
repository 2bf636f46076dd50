import Foundation
import DyadCore

/// Reads one `analyze --jsonl` input line (`{"id","title","text","outlet","published","language"}`)
/// on bytes: strings are unescaped in place, other members are skipped by structure, nothing is
/// boxed. Any malformed line gives a specific message instead of an article; no input can crash it.
public enum JSONLineReader {
    /// Deepest nesting skipped inside an unknown member (bounds the work on hostile input).
    static let maxDepth = 64

    public enum Failure: Error, Equatable {
        case syntax(String)
    }

    /// The members the analyzer reads; others are skipped.
    struct Fields {
        var id: String?
        var title: String?
        var text: String?
        var outlet: String?
        var language: String?
        var published: Date?
    }

    /// Parses one line into an article; `fallbackID` is used when the line has no usable id.
    public static func article(_ line: UnsafeBufferPointer<UInt8>, fallbackID: @autoclosure () -> String) -> Result<Article, Failure> {
        var parser = Parser(p: line)
        var f = Fields()
        do {
            try parser.object { parser, key in
                switch key {
                case .id: f.id = try parser.scalarText()
                case .title: f.title = try parser.scalarText()
                case .text: f.text = try parser.scalarText()
                case .outlet: f.outlet = try parser.scalarText()
                case .language: f.language = try parser.scalarText()
                case .published: f.published = try parser.date()
                case .other: try parser.skipValue(depth: 0)
                }
            }
            return .success(Article(id: f.id ?? fallbackID(), title: f.title ?? "", text: f.text ?? "",
                                    outlet: f.outlet, language: f.language, published: f.published))
        } catch let e as Failure {
            return .failure(e)
        } catch {
            return .failure(.syntax("\(error)"))
        }
    }

    /// What `analyze --jsonl` reads of a line, in buffers a worker reuses line after line: the
    /// title and text as UTF-8 bytes (unescaped; invalid UTF-8 repaired as `String` repairs it),
    /// no `String` per line for them. `outlet` and `published` are not read (the results do not
    /// report them); their values are still checked for JSON syntax.
    public struct LineFields {
        var language: String?
        /// Unescaped or repaired copies, used when the `…InLine` range is nil.
        var id: [UInt8] = []
        var title: [UInt8] = []
        var text: [UInt8] = []
        /// Where the id, title and text are in the line itself when they are used as they are
        /// (no escapes, valid UTF-8, or a number's digits: most lines), so they are not copied.
        var idInLine: Range<Int>?
        var titleInLine: Range<Int>?
        var textInLine: Range<Int>?
        /// Whether the line has a usable id (a string or a number; else the caller's fallback).
        var hasID = false
        public init() {}

        /// The id's bytes (the UTF-8 of the String `scalarText` would make), in place in `line`
        /// or the copy; nil when the line has no usable id.
        func withID<R>(in line: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R? {
            guard hasID else { return nil }
            if let r = idInLine { return body(UnsafeBufferPointer(rebasing: line[r])) }
            return id.withUnsafeBufferPointer(body)
        }

        /// The title's bytes: in place in `line` (the line `read` parsed) or the copy.
        func withTitle<R>(in line: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
            if let r = titleInLine { return body(UnsafeBufferPointer(rebasing: line[r])) }
            return title.withUnsafeBufferPointer(body)
        }

        /// The text's bytes, likewise.
        func withText<R>(in line: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
            if let r = textInLine { return body(UnsafeBufferPointer(rebasing: line[r])) }
            return text.withUnsafeBufferPointer(body)
        }
    }

    /// Parses one line into `fields` (emptied first).
    static func read(_ line: UnsafeBufferPointer<UInt8>, into fields: inout LineFields) -> Failure? {
        var parser = Parser(p: line)
        fields.hasID = false
        fields.idInLine = nil
        // (Emptied only when not empty: `removeAll(keepingCapacity:)` is a call and a uniqueness
        // check even on an empty array, and the copies are rarely used.)
        if !fields.id.isEmpty { fields.id.removeAll(keepingCapacity: true) }
        fields.language = nil
        if !fields.title.isEmpty { fields.title.removeAll(keepingCapacity: true) }
        if !fields.text.isEmpty { fields.text.removeAll(keepingCapacity: true) }
        fields.titleInLine = nil
        fields.textInLine = nil
        do {
            try parser.object { parser, key in
                switch key {
                case .id:
                    fields.idInLine = try parser.scalarBytes(into: &fields.id)
                    fields.hasID = fields.idInLine != nil || !fields.id.isEmpty   // an unescaped copy is never empty
                case .title: fields.titleInLine = try parser.scalarBytes(into: &fields.title)
                case .text: fields.textInLine = try parser.scalarBytes(into: &fields.text)
                case .language: fields.language = try parser.scalarText()
                case .outlet, .published, .other: try parser.skipValue(depth: 0)
                }
            }
            return nil
        } catch let e as Failure {
            return e
        } catch {
            return .syntax("\(error)")
        }
    }

    struct Parser {
        let p: UnsafeBufferPointer<UInt8>
        var i = 0
        /// Reused for unescaping strings that contain backslashes.
        var scratch: [UInt8] = []

        init(p: UnsafeBufferPointer<UInt8>) { self.p = p }

        /// Skips JSON white space (and a byte-order mark at the very start). Inline: between the
        /// tokens of a line there is most often no white space or one space.
        @inline(__always)
        mutating func skipSpace() {
            // Every byte above 0x20 is a token: the common case costs one comparison; the next
            // most common (`", "`, `": "`) one space before a token.
            if i > 0 && i < p.count {
                let b = p[i]
                if b > 0x20 { return }
                if b == 0x20 && i + 1 < p.count && p[i + 1] > 0x20 { i += 1; return }
            }
            skipSpaceRun()
        }

        mutating func skipSpaceRun() {
            while i < p.count, p[i] == 0x20 || p[i] == 0x09 || p[i] == 0x0D || p[i] == 0x0A { i += 1 }
            if i == 0 && p.count >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF { i = 3; skipSpaceRun() }   // BOM
        }

        func fail(_ what: String) -> Failure { .syntax("\(what) at byte \(i)") }

        mutating func expect(_ b: UInt8) throws {
            skipSpace()
            guard i < p.count, p[i] == b else { throw fail("expected '\(Character(Unicode.Scalar(b)))'") }
            i += 1
        }

        /// Parses the line's object, handing each member's key to `member`, which must consume
        /// the value; then checks that nothing but white space follows.
        mutating func object(_ member: (inout Parser, Key) throws -> Void) throws {
            skipSpace()
            guard i < p.count, p[i] == UInt8(ascii: "{") else { throw fail("expected a JSON object") }
            i += 1
            skipSpace()
            if i < p.count && p[i] == UInt8(ascii: "}") {
                i += 1
            } else {
                members: while true {
                    skipSpace()
                    guard i < p.count, p[i] == 0x22 else { throw fail("expected a member name") }
                    let key = try keyName()
                    try expect(UInt8(ascii: ":"))
                    skipSpace()
                    try member(&self, key)
                    skipSpace()
                    guard i < p.count else { throw fail("unterminated object") }
                    if p[i] == UInt8(ascii: ",") { i += 1; continue }
                    if p[i] == UInt8(ascii: "}") { i += 1; break members }
                    throw fail("expected ',' or '}'")
                }
            }
            skipSpace()
            guard i == p.count else { throw Failure.syntax("trailing characters after the object at byte \(i)") }
        }

        /// An RFC 3339 date string; anything else is skipped and treated as absent.
        mutating func date() throws -> Date? {
            guard i < p.count && p[i] == 0x22 else { try skipValue(depth: 0); return nil }
            let (start, end, escaped) = try stringBounds()
            return escaped ? RFC3339.date(decodeString(start, end)) : RFC3339.date(UnsafeBufferPointer(rebasing: p[start..<end]))
        }

        enum Key { case id, title, text, outlet, language, published, other }

        mutating func keyName() throws -> Key {
            // The keys of the schema spelled plainly, matched with their closing quote (so no
            // escape can hide in them) on the eight bytes after the opening one.
            if i + 9 <= p.count {
                let w = WordScan.load(p, i + 1)
                if w & 0xFF_FFFF == 0x22_6469 { i += 4; return .id }                                   // id"
                if w & 0xFF_FFFF_FFFF == 0x22_7478_6574 { i += 6; return .text }                       // text"
                if w & 0xFFFF_FFFF_FFFF == 0x2265_6C74_6974 { i += 7; return .title }                  // title"
                if w & 0xFF_FFFF_FFFF_FFFF == 0x22_7465_6C74_756F { i += 8; return .outlet }           // outlet"
                if i + 11 <= p.count {
                    if w == 0x6568_7369_6C62_7570 && p[i + 9] == 0x64 && p[i + 10] == 0x22 { i += 11; return .published }  // published"
                    if w == 0x6567_6175_676E_616C && p[i + 9] == 0x22 { i += 10; return .language }     // language"
                }
            }
            let (start, end, escaped) = try stringBounds()
            if escaped {
                switch decodeString(start, end) {
                case "id": return .id
                case "title": return .title
                case "text": return .text
                case "outlet": return .outlet
                case "language": return .language
                case "published": return .published
                default: return .other
                }
            }
            let k = UnsafeBufferPointer(rebasing: p[start..<end])
            func eq(_ s: StaticString) -> Bool { memcmp(k.baseAddress!, s.utf8Start, k.count) == 0 }
            switch k.count {       // one comparison per line member, chosen by length
            case 2: return eq("id") ? .id : .other
            case 4: return eq("text") ? .text : .other
            case 5: return eq("title") ? .title : .other
            case 6: return eq("outlet") ? .outlet : .other
            case 8: return eq("language") ? .language : .other
            case 9: return eq("published") ? .published : .other
            default: return .other
            }
        }

        /// A string member's text; a number is taken as its digits (ids are sometimes numbers);
        /// `null` is absent. Anything else is skipped and treated as absent.
        mutating func scalarText() throws -> String? {
            guard i < p.count else { throw fail("missing value") }
            let b = p[i]
            if b == 0x22 {
                let (start, end, escaped) = try stringBounds()
                return escaped ? decodeString(start, end) : String(decoding: UnsafeBufferPointer(rebasing: p[start..<end]), as: UTF8.self)
            }
            if b == UInt8(ascii: "-") || (b >= 0x30 && b <= 0x39) {
                let start = i
                try skipValue(depth: 0)
                return String(decoding: UnsafeBufferPointer(rebasing: p[start..<i]), as: UTF8.self)
            }
            try skipValue(depth: 0)
            return nil
        }

        /// `scalarText` as the UTF-8 bytes of that String, without creating the String: the range
        /// of the line that holds them when they need no change (no escapes, valid UTF-8, or a
        /// number's digits), else nil with the unescaped, repaired bytes in `out` (emptied first;
        /// left empty when absent).
        mutating func scalarBytes(into out: inout [UInt8]) throws -> Range<Int>? {
            if !out.isEmpty { out.removeAll(keepingCapacity: true) }
            guard i < p.count else { throw fail("missing value") }
            let b = p[i]
            if b == 0x22 {
                if let plain = plainASCIIString() { return plain }   // the common case: one pass, no validation
                let (start, end, escaped) = try stringBounds()
                if !escaped && UTF8Validation.isValid(UnsafeBufferPointer(rebasing: p[start..<end])) { return start..<end }
                if escaped { Parser.unescape(p, start, end, into: &out) } else { out.append(contentsOf: UnsafeBufferPointer(rebasing: p[start..<end])) }
                let valid = out.withUnsafeBufferPointer { UTF8Validation.isValid($0) }
                if !valid { out = Array(String(decoding: out, as: UTF8.self).utf8) }   // rare: repaired as String does
                return nil
            }
            if b == UInt8(ascii: "-") || (b >= 0x30 && b <= 0x39) {
                let start = i
                try skipValue(depth: 0)
                return start..<i   // ASCII digits, signs, exponents
            }
            try skipValue(depth: 0)
            return nil
        }

        /// The content of the string at `i` when it is ASCII without escapes (valid UTF-8 that
        /// needs no change), with `i` moved past its closing quote; else nil, nothing moved (the
        /// general path reads it, and reports an unterminated string).
        @inline(__always)
        mutating func plainASCIIString() -> Range<Int>? {
            let start = i + 1
            let n = p.count
            var j = start
            while j + 8 <= n {
                let w = WordScan.load(p, j)
                let m = WordScan.equal(w, 0x22) | WordScan.equal(w, 0x5C)
                if m == 0 {
                    if w & WordScan.highs != 0 { return nil }
                    j += 8
                    continue
                }
                let k = WordScan.firstIndex(m)
                // The bytes before the quote or backslash must be ASCII too.
                if k > 0 && (w & (UInt64.max >> (64 - 8 * k))) & WordScan.highs != 0 { return nil }
                j += k
                guard p[j] == 0x22 else { return nil }
                i = j + 1
                return start..<j
            }
            while j < n {
                let b = p[j]
                if b == 0x22 { i = j + 1; return start..<j }
                if b == 0x5C || b >= 0x80 { return nil }
                j += 1
            }
            return nil
        }

        /// Positions of a string's content (after the opening quote, before the closing one) and
        /// whether it contains escapes. Raw control characters are accepted (lenient, as many feeds are).
        mutating func stringBounds() throws -> (Int, Int, Bool) {
            i += 1   // opening quote
            let start = i
            var escaped = false
            let n = p.count
            while i < n {
                // Eight bytes at a time up to the next quote or backslash.
                while i + 8 <= n {
                    let w = WordScan.load(p, i)
                    let m = WordScan.equal(w, 0x22) | WordScan.equal(w, 0x5C)
                    if m == 0 { i += 8 } else { i += WordScan.firstIndex(m); break }
                }
                guard i < n else { break }
                let b = p[i]
                if b == 0x22 { let end = i; i += 1; return (start, end, escaped) }
                if b == 0x5C { escaped = true; i += 2; continue }
                i += 1
            }
            throw Failure.syntax("unterminated string starting at byte \(start - 1)")
        }

        /// Unescapes `\" \\ \/ \b \f \n \r \t \uXXXX` (surrogate pairs joined; lone surrogates become U+FFFD).
        mutating func decodeString(_ start: Int, _ end: Int) -> String {
            scratch.removeAll(keepingCapacity: true)
            Parser.unescape(p, start, end, into: &scratch)
            return String(decoding: scratch, as: UTF8.self)
        }

        /// The unescaped bytes of `p[start..<end]` appended to `scratch` (may be invalid UTF-8
        /// when the input is; callers repair).
        static func unescape(_ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, into scratch: inout [UInt8]) {
            var j = start
            func hex4(_ at: Int) -> UInt32? {
                guard at + 4 <= end else { return nil }
                var v: UInt32 = 0
                for k in at..<(at + 4) {
                    let c = p[k]
                    let d: UInt32
                    switch c {
                    case 0x30...0x39: d = UInt32(c - 0x30)
                    case 0x41...0x46: d = UInt32(c - 0x41 + 10)
                    case 0x61...0x66: d = UInt32(c - 0x61 + 10)
                    default: return nil
                    }
                    v = v << 4 | d
                }
                return v
            }
            func append(_ scalar: UInt32) {
                let s = Unicode.Scalar(scalar) ?? "\u{FFFD}"
                UTF8.encode(s) { scratch.append($0) }
            }
            while j < end {
                let b = p[j]
                guard b == 0x5C, j + 1 < end else { scratch.append(b); j += 1; continue }
                let e = p[j + 1]
                j += 2
                switch e {
                case UInt8(ascii: "n"): scratch.append(0x0A)
                case UInt8(ascii: "t"): scratch.append(0x09)
                case UInt8(ascii: "r"): scratch.append(0x0D)
                case UInt8(ascii: "b"): scratch.append(0x08)
                case UInt8(ascii: "f"): scratch.append(0x0C)
                case UInt8(ascii: "u"):
                    guard let u = hex4(j) else { append(0xFFFD); continue }
                    j += 4
                    if u >= 0xD800 && u < 0xDC00, j + 6 <= end, p[j] == 0x5C, p[j + 1] == UInt8(ascii: "u"),
                       let lo = hex4(j + 2), lo >= 0xDC00 && lo < 0xE000 {
                        append(0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00))
                        j += 6
                    } else {
                        append(u)   // a lone surrogate is not a scalar: U+FFFD
                    }
                default: scratch.append(e)   // \" \\ \/ and, leniently, any other escaped byte
                }
            }
        }

        /// Skips any JSON value (validating its structure; nesting bounded by `maxDepth`).
        mutating func skipValue(depth: Int) throws {
            guard depth < JSONLineReader.maxDepth else { throw fail("nesting deeper than \(JSONLineReader.maxDepth)") }
            skipSpace()
            guard i < p.count else { throw fail("missing value") }
            switch p[i] {
            case 0x22: _ = try stringBounds()
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                let close = p[i] == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]")
                let isObject = close == UInt8(ascii: "}")
                i += 1
                skipSpace()
                if i < p.count && p[i] == close { i += 1; return }
                while true {
                    if isObject {
                        skipSpace()
                        guard i < p.count, p[i] == 0x22 else { throw fail("expected a member name") }
                        _ = try stringBounds()
                        try expect(UInt8(ascii: ":"))
                    }
                    try skipValue(depth: depth + 1)
                    skipSpace()
                    guard i < p.count else { throw fail("unterminated \(isObject ? "object" : "array")") }
                    if p[i] == UInt8(ascii: ",") { i += 1; continue }
                    if p[i] == close { i += 1; return }
                    throw fail("expected ',' or '\(Character(Unicode.Scalar(close)))'")
                }
            case UInt8(ascii: "t"): try literal("true")
            case UInt8(ascii: "f"): try literal("false")
            case UInt8(ascii: "n"): try literal("null")
            default:
                let start = i
                while i < p.count {
                    let b = p[i]
                    if (b >= 0x30 && b <= 0x39) || b == UInt8(ascii: "-") || b == UInt8(ascii: "+") || b == UInt8(ascii: ".")
                        || b == UInt8(ascii: "e") || b == UInt8(ascii: "E") { i += 1 } else { break }
                }
                guard i > start else { throw fail("unexpected character") }
            }
        }

        mutating func literal(_ s: StaticString) throws {
            let n = s.utf8CodeUnitCount
            guard i + n <= p.count, s.withUTF8Buffer({ $0.elementsEqual(UnsafeBufferPointer(rebasing: p[i..<(i + n)])) }) else {
                throw fail("unexpected character")
            }
            i += n
        }
    }
}
