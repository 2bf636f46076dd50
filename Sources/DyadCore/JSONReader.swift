import Foundation

/// A value that reads itself from JSON with `JSONReader`: the fast path for types decoded on the
/// storage hot path (bucket aggregates, read back on every ingest and for every trend-file row).
/// `init` returns nil for anything it does not expect (an unknown key, a number where a string
/// was expected, …); callers then decode with `JSONDecoder`, which accepts or rejects it exactly as
/// before.
public protocol JSONReadable {
    init?(json r: inout JSONReader)
}

/// A small pull reader over JSON bytes: objects member by member, strings (all escapes), numbers
/// (doubles through the standard library's correctly rounded parser), booleans. Any whitespace
/// JSON allows is skipped, so text re-serialized by a database (PostgreSQL's `jsonb::text`) reads
/// too.
public struct JSONReader {
    private let b: UnsafeBufferPointer<UInt8>
    private var i = 0

    private init(_ b: UnsafeBufferPointer<UInt8>) { self.b = b }

    /// The value in `text`, or nil when the fast path does not apply (see `JSONReadable`).
    public static func read<T: JSONReadable>(_ type: T.Type, from text: String) -> T? {
        var text = text
        return text.withUTF8 { bytes in
            var r = JSONReader(bytes)
            guard let v = T(json: &r) else { return nil }
            r.skipSpace()
            return r.i == bytes.count ? v : nil
        }
    }

    private var peek: UInt8 { i < b.count ? b[i] : 0 }

    private mutating func skipSpace() {
        while i < b.count, b[i] == 0x20 || b[i] == 0x0A || b[i] == 0x0D || b[i] == 0x09 { i += 1 }
    }

    private mutating func consume(_ c: UInt8) -> Bool {
        skipSpace()
        guard peek == c else { return false }
        i += 1
        return true
    }

    /// Reads an object, calling `member` with each key (the reader then at its value, which
    /// `member` must read). False when the text is not such an object or `member` said false.
    public mutating func object(_ member: (String, inout JSONReader) -> Bool) -> Bool {
        guard consume(UInt8(ascii: "{")) else { return false }
        if consume(UInt8(ascii: "}")) { return true }
        while true {
            guard let key = string(), consume(UInt8(ascii: ":")), member(key, &self) else { return false }
            if consume(UInt8(ascii: ",")) { continue }
            return consume(UInt8(ascii: "}"))
        }
    }

    /// An array of elements, each read by `element`.
    public mutating func array(_ element: (inout JSONReader) -> Bool) -> Bool {
        guard consume(UInt8(ascii: "[")) else { return false }
        if consume(UInt8(ascii: "]")) { return true }
        while true {
            guard element(&self) else { return false }
            if consume(UInt8(ascii: ",")) { continue }
            return consume(UInt8(ascii: "]"))
        }
    }

    public mutating func bool() -> Bool? {
        skipSpace()
        if matches("true") { return true }
        if matches("false") { return false }
        return nil
    }

    private mutating func matches(_ word: StaticString) -> Bool {
        let n = word.utf8CodeUnitCount
        guard i + n <= b.count else { return false }
        for k in 0..<n where b[i + k] != word.utf8Start[k] { return false }
        i += n
        return true
    }

    /// An integer without fraction or exponent (anything else: nil).
    public mutating func int() -> Int? {
        skipSpace()
        var negative = false
        if peek == UInt8(ascii: "-") { negative = true; i += 1 }
        let start = i
        var v = 0
        while i < b.count, b[i] >= 0x30, b[i] <= 0x39 {
            let (m, o1) = v.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.addingReportingOverflow(Int(b[i] - 0x30))
            guard !o1, !o2 else { return nil }
            v = s; i += 1
        }
        guard i > start, peek != UInt8(ascii: "."), peek != UInt8(ascii: "e"), peek != UInt8(ascii: "E") else { return nil }
        return negative ? -v : v
    }

    /// A JSON number as a Double (correctly rounded, so shortest-form output reads back exactly).
    public mutating func double() -> Double? {
        skipSpace()
        let start = i
        while i < b.count {
            switch b[i] {
            case 0x30...0x39, UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"): i += 1
            default:
                return number(start)
            }
        }
        return number(start)
    }

    private func number(_ start: Int) -> Double? {
        guard i > start, b[start] != UInt8(ascii: "+") else { return nil }
        return Double(String(decoding: UnsafeBufferPointer(rebasing: b[start..<i]), as: UTF8.self))
    }

    /// A string, escapes resolved (`\uD83D\uDE00` pairs too); nil for an invalid escape.
    public mutating func string() -> String? {
        guard consume(UInt8(ascii: "\"")) else { return nil }
        let start = i
        while i < b.count, b[i] != UInt8(ascii: "\""), b[i] != UInt8(ascii: "\\") { i += 1 }
        guard i < b.count else { return nil }
        if b[i] == UInt8(ascii: "\"") {
            defer { i += 1 }
            return String(decoding: UnsafeBufferPointer(rebasing: b[start..<i]), as: UTF8.self)
        }
        var out = Array(b[start..<i])
        while i < b.count {
            let c = b[i]
            i += 1
            if c == UInt8(ascii: "\"") { return String(decoding: out, as: UTF8.self) }
            guard c == UInt8(ascii: "\\") else { out.append(c); continue }
            guard i < b.count else { return nil }
            let e = b[i]
            i += 1
            switch e {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                guard var unit = hex4() else { return nil }
                if (0xD800..<0xDC00).contains(unit) {
                    guard matches("\\u"), let low = hex4(), (0xDC00..<0xE000).contains(low) else { return nil }
                    unit = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
                }
                guard let scalar = Unicode.Scalar(unit) else { return nil }
                out.append(contentsOf: String(Character(scalar)).utf8)
            default: return nil
            }
        }
        return nil
    }

    private mutating func hex4() -> UInt32? {
        guard i + 4 <= b.count else { return nil }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = b[i]
            let d: UInt8
            switch c {
            case 0x30...0x39: d = c - 0x30
            case 0x61...0x66: d = c - 0x61 + 10
            case 0x41...0x46: d = c - 0x41 + 10
            default: return nil
            }
            v = v << 4 | UInt32(d)
            i += 1
        }
        return v
    }

    /// An object of integers by key (`[String: Int]`).
    public mutating func intMap() -> [String: Int]? {
        var out: [String: Int] = [:]
        let ok = object { key, r in
            guard let v = r.int() else { return false }
            out[key] = v
            return true
        }
        return ok ? out : nil
    }
}
