/// UTF-8 text accumulated from libxml2 text nodes with HTML's whitespace rules: runs of ASCII
/// whitespace and no-break spaces become one space; leading and trailing space is dropped.
struct TextBuffer {
    private(set) var bytes: [UInt8] = []
    private var pendingSpace = false

    var count: Int { bytes.count }
    var isEmpty: Bool { bytes.isEmpty }

    /// Appends a NUL-terminated UTF-8 string.
    mutating func append(_ c: UnsafePointer<UInt8>) {
        var i = 0
        while true {
            let b = c[i]
            if b == 0 { return }
            if b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D || b == 0x0C {
                pendingSpace = true
            } else if b == 0xC2 && c[i + 1] == 0xA0 {
                pendingSpace = true
                i += 1
            } else if b == 0xE2 && c[i + 1] == 0x80 && (c[i + 2] == 0x8B || c[i + 2] == 0x8C || c[i + 2] == 0x8D) {
                i += 2 // zero-width space / non-joiner / joiner: invisible, dropped
            } else {
                if pendingSpace && !bytes.isEmpty { bytes.append(0x20) }
                pendingSpace = false
                bytes.append(b)
            }
            i += 1
        }
    }

    /// A word boundary (an inline break such as `<br>` inside a line, or an image).
    mutating func appendSpace() { pendingSpace = true }

    /// The text so far; the buffer is emptied.
    mutating func take() -> String {
        let s = String(decoding: bytes, as: UTF8.self)
        bytes.removeAll(keepingCapacity: true)
        pendingSpace = false
        return s
    }

    func string() -> String { String(decoding: bytes, as: UTF8.self) }
}

/// Character counts of text node content, without building strings.
enum TextMeasure {
    /// Characters after whitespace collapsing (a run of spaces counts one), and commas
    /// (ASCII, full-width, Arabic).
    static func measure(_ c: UnsafePointer<UInt8>) -> (chars: Int32, commas: Int32) {
        var chars: Int32 = 0, commas: Int32 = 0
        var inSpace = true
        var i = 0
        while true {
            let b = c[i]
            if b == 0 { break }
            if b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D || b == 0x0C {
                if !inSpace { chars += 1; inSpace = true }
            } else if b & 0xC0 != 0x80 {
                chars += 1
                inSpace = false
                if b == 0x2C { commas += 1 }
                else if b == 0xEF && c[i + 1] == 0xBC && c[i + 2] == 0x8C { commas += 1 }   // U+FF0C
                else if b == 0xD8 && c[i + 1] == 0x8C { commas += 1 }                       // U+060C
                else if b == 0xE3 && c[i + 1] == 0x80 && c[i + 2] == 0x81 { commas += 1 }   // U+3001
            }
            i += 1
        }
        return (chars, commas)
    }
}
