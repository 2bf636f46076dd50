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
        do {
            let f = try parser.object()
            parser.skipSpace()
            guard parser.i == line.count else { throw Failure.syntax("trailing characters after the object at byte \(parser.i)") }
            return .success(Article(id: f.id ?? fallbackID(), title: f.title ?? "", text: f.text ?? "",
                                    outlet: f.outlet, language: f.language, published: f.published))
        } catch let e as Failure {
            return .failure(e)
        } catch {
            return .failure(.syntax("\(error)"))
        }
    }

    struct Parser {
        let p: UnsafeBufferPointer<UInt8>
        var i = 0
        /// Reused for unescaping strings that contain backslashes.
        var scratch: [UInt8] = []

        init(p: UnsafeBufferPointer<UInt8>) { self.p = p }

        mutating func skipSpace() {
            while i < p.count, p[i] == 0x20 || p[i] == 0x09 || p[i] == 0x0D || p[i] == 0x0A { i += 1 }
            if i == 0 && p.count >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF { i = 3; skipSpace() }   // BOM
        }

        func fail(_ what: String) -> Failure { .syntax("\(what) at byte \(i)") }

        mutating func expect(_ b: UInt8) throws {
            skipSpace()
            guard i < p.count, p[i] == b else { throw fail("expected '\(Character(Unicode.Scalar(b)))'") }
            i += 1
        }

        mutating func object() throws -> Fields {
            skipSpace()
            guard i < p.count, p[i] == UInt8(ascii: "{") else { throw fail("expected a JSON object") }
            i += 1
            var f = Fields()
            skipSpace()
            if i < p.count && p[i] == UInt8(ascii: "}") { i += 1; return f }
            while true {
                skipSpace()
                guard i < p.count, p[i] == 0x22 else { throw fail("expected a member name") }
                let key = try keyName()
                try expect(UInt8(ascii: ":"))
                skipSpace()
                switch key {
                case .id: f.id = try scalarText()
                case .title: f.title = try scalarText()
                case .text: f.text = try scalarText()
                case .outlet: f.outlet = try scalarText()
                case .language: f.language = try scalarText()
                case .published:
                    if i < p.count && p[i] == 0x22 {
                        let (start, end, escaped) = try stringBounds()
                        f.published = escaped ? RFC3339.date(decodeString(start, end))
                            : RFC3339.date(UnsafeBufferPointer(rebasing: p[start..<end]))
                    } else { try skipValue(depth: 0) }
                case .other: try skipValue(depth: 0)
                }
                skipSpace()
                guard i < p.count else { throw fail("unterminated object") }
                if p[i] == UInt8(ascii: ",") { i += 1; continue }
                if p[i] == UInt8(ascii: "}") { i += 1; return f }
                throw fail("expected ',' or '}'")
            }
        }

        enum Key { case id, title, text, outlet, language, published, other }

        mutating func keyName() throws -> Key {
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
            func eq(_ s: StaticString) -> Bool {
                s.utf8CodeUnitCount == k.count && s.withUTF8Buffer { $0.elementsEqual(k) }
            }
            if eq("id") { return .id }
            if eq("title") { return .title }
            if eq("text") { return .text }
            if eq("outlet") { return .outlet }
            if eq("language") { return .language }
            if eq("published") { return .published }
            return .other
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

        /// Positions of a string's content (after the opening quote, before the closing one) and
        /// whether it contains escapes. Raw control characters are accepted (lenient, as many feeds are).
        mutating func stringBounds() throws -> (Int, Int, Bool) {
            i += 1   // opening quote
            let start = i
            var escaped = false
            while i < p.count {
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
                scratch.append(contentsOf: UTF8.encode(s)!)
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
            return String(decoding: scratch, as: UTF8.self)
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
