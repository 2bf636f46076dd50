/// The line syntax of the data files (`keyword field | field | ...`) on UTF-8 bytes: lines,
/// white-space trimming and `|` fields. Loading ~1,300 lines through `Character` splitting and
/// Foundation's string search was half of every `dyadwatch analyze` start-up; on bytes it is a
/// small share. The bytes come from a validated `String`, so every scalar is well formed.
enum DataFileText {
    typealias Bytes = UnsafeBufferPointer<UInt8>

    /// Calls `body(line number, fields, keyword)` for every line that is not blank or a comment.
    /// A line is cut at LF; CR and other white space at either end are trimmed. `malformed` makes
    /// the error for a line without a keyword and fields.
    static func forEachLine(_ text: Bytes, malformed: (Int) -> Error,
                            _ body: (Int, [String], String) throws -> Void) throws {
        var lineNumber = 0
        var start = 0
        while start <= text.count {
            var end = start
            while end < text.count && text[end] != 0x0A { end += 1 }
            lineNumber += 1
            let line = trimmed(text, start..<end, newlines: true)
            start = end + 1
            if line.isEmpty || text[line.lowerBound] == UInt8(ascii: "#") { continue }
            guard let space = line.first(where: { text[$0] == 0x20 || text[$0] == 0x09 }) else {
                throw malformed(lineNumber)
            }
            let keyword = string(text, line.lowerBound..<space)
            let fields = splitFields(text, space..<line.upperBound).map { string(text, trimmed(text, $0)) }
            try body(lineNumber, fields, keyword)
        }
    }

    /// `r` without leading and trailing white space: tab and Unicode Zs (`CharacterSet.whitespaces`),
    /// or every White_Space scalar (`.whitespacesAndNewlines`) with `newlines`.
    static func trimmed(_ b: Bytes, _ r: Range<Int>, newlines: Bool = false) -> Range<Int> {
        var lo = r.lowerBound, hi = r.upperBound
        while lo < hi {
            let n = scalarLength(b[lo])
            guard isSpace(scalar(b, lo, n), newlines: newlines) else { break }
            lo += n
        }
        while hi > lo {
            var s = hi - 1
            while s > lo && b[s] & 0xC0 == 0x80 { s -= 1 }   // back to the scalar's lead byte
            guard isSpace(scalar(b, s, hi - s), newlines: newlines) else { break }
            hi = s
        }
        return lo..<hi
    }

    /// Ranges between `separator` bytes (an ASCII byte never occurs inside a multi-byte scalar),
    /// empty ones included.
    static func split(_ b: Bytes, _ r: Range<Int>, on separator: UInt8) -> [Range<Int>] {
        var parts: [Range<Int>] = []
        var start = r.lowerBound
        for i in r where b[i] == separator {
            parts.append(start..<i)
            start = i + 1
        }
        parts.append(start..<r.upperBound)
        return parts
    }

    /// Ranges between `|` outside `{…}` groups (whose alternatives also use `|`).
    static func splitFields(_ b: Bytes, _ r: Range<Int>) -> [Range<Int>] {
        var fields: [Range<Int>] = []
        var depth = 0
        var start = r.lowerBound
        for i in r {
            switch b[i] {
            case UInt8(ascii: "{"): depth += 1
            case UInt8(ascii: "}"): depth = max(0, depth - 1)
            case UInt8(ascii: "|") where depth == 0:
                fields.append(start..<i)
                start = i + 1
            default: break
            }
        }
        fields.append(start..<r.upperBound)
        return fields
    }

    static func string(_ b: Bytes, _ r: Range<Int>) -> String {
        String(decoding: Bytes(rebasing: b[r]), as: UTF8.self)
    }

    /// Length of the UTF-8 sequence a lead byte opens.
    @inline(__always)
    static func scalarLength(_ lead: UInt8) -> Int {
        lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
    }

    /// The scalar of the `length` bytes at `i` (well-formed UTF-8).
    static func scalar(_ b: Bytes, _ i: Int, _ length: Int) -> Unicode.Scalar {
        let lead = UInt32(b[i])
        guard length > 1 else { return Unicode.Scalar(UInt8(lead)) }
        var v = lead & (0x7F >> UInt32(length))
        for k in 1..<length { v = v << 6 | UInt32(b[i + k] & 0x3F) }
        return Unicode.Scalar(v) ?? "\u{FFFD}"
    }

    /// White space as the data files mean it (see `trimmed`).
    static func isSpace(_ c: Unicode.Scalar, newlines: Bool) -> Bool {
        if c.value < 0x80 {
            // ASCII White_Space: tab, LF, VT, FF, CR, space.
            return c.value == 0x20 || c.value == 0x09 || (newlines && c.value >= 0x0A && c.value <= 0x0D)
        }
        guard c.properties.isWhitespace else { return false }
        if newlines { return true }
        switch c.value {
        case 0x85, 0x2028, 0x2029: return false
        default: return true
        }
    }
}
