/// Where JSON text goes byte by byte: a `[UInt8]`, or a caller's own raw growable buffer.
public protocol JSONByteOutput: ~Copyable {
    mutating func append(_ byte: UInt8)
    mutating func append(contentsOf bytes: UnsafeBufferPointer<UInt8>)
}

extension Array: JSONByteOutput where Element == UInt8 {}

/// JSON string escaping as Foundation's `JSONEncoder` does it with `.withoutEscapingSlashes`
/// (`DyadJSON.encoder()`): `"` `\` and control characters escaped (`\b \t \n \f \r`, else
/// `\u00XX`), nothing else. The one copy, for `JSONWriter` and `parse --jsonl`.
public enum JSONString {
    /// Appends `s` quoted and escaped.
    @inlinable
    public static func append<Out: JSONByteOutput & ~Copyable>(_ s: String, to out: inout Out) {
        // A native String's bytes in place (no copy of the String to make it mutable).
        if s.utf8.withContiguousStorageIfAvailable({ append(utf8: $0, to: &out) }) != nil { return }
        var s = s
        s.withUTF8 { append(utf8: $0, to: &out) }
    }

    /// Appends UTF-8 bytes (valid UTF-8, e.g. a range of an analysed text) quoted and escaped.
    @inlinable
    public static func append<Out: JSONByteOutput & ~Copyable>(utf8 buf: UnsafeBufferPointer<UInt8>, to out: inout Out) {
        out.append(UInt8(ascii: "\""))
        if let base = buf.baseAddress {
            let raw = UnsafeRawPointer(base)
            let n = buf.count
            var runStart = 0
            var i = 0
            while true {
                // Eight bytes at a time while none of them needs escaping (the common case), then
                // byte by byte up to the one that does (within that word) or to the end.
                while i + 8 <= n && !needsEscape(raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) { i += 8 }
                while i < n && !needsEscape(byte: buf[i]) { i += 1 }
                guard i < n else { break }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: buf[runStart..<i]))
                appendEscape(buf[i], to: &out)
                i += 1
                runStart = i
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: buf[runStart..<n]))
        }
        out.append(UInt8(ascii: "\""))
    }

    /// Whether one byte needs escaping: a control character, `"` or `\`.
    @inlinable @inline(__always)
    static func needsEscape(byte b: UInt8) -> Bool { b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") }

    /// The escape sequence of one byte that needs it.
    @inlinable
    static func appendEscape<Out: JSONByteOutput & ~Copyable>(_ b: UInt8, to out: inout Out) {
        out.append(UInt8(ascii: "\\"))
        switch b {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"): out.append(b)
        case 0x08: out.append(UInt8(ascii: "b"))
        case 0x09: out.append(UInt8(ascii: "t"))
        case 0x0A: out.append(UInt8(ascii: "n"))
        case 0x0C: out.append(UInt8(ascii: "f"))
        case 0x0D: out.append(UInt8(ascii: "r"))
        default:
            out.append(UInt8(ascii: "u")); out.append(UInt8(ascii: "0")); out.append(UInt8(ascii: "0"))
            out.append(hex(b >> 4)); out.append(hex(b & 0xF))
        }
    }

    /// The lowercase hexadecimal digit for 0...15.
    @inlinable
    static func hex(_ v: UInt8) -> UInt8 { v < 10 ? 0x30 + v : 0x61 + v - 10 }

    /// SWAR constants: every byte of the word set to `"`, `\`, 0x20, 0x01 and 0x80.
    @inlinable static var quotes: UInt64 { 0x2222_2222_2222_2222 }
    @inlinable static var backslashes: UInt64 { 0x5C5C_5C5C_5C5C_5C5C }
    @inlinable static var controls: UInt64 { 0x2020_2020_2020_2020 }
    @inlinable static var ones: UInt64 { 0x0101_0101_0101_0101 }
    @inlinable static var highs: UInt64 { 0x8080_8080_8080_8080 }

    /// True when any of the eight bytes of `w` is a control character, `"` or `\` (exact:
    /// the classic "has a zero byte" / "has a byte less than n" bit tricks).
    @inlinable @inline(__always)
    static func needsEscape(_ w: UInt64) -> Bool {
        func hasZeroByte(_ x: UInt64) -> Bool { (x &- ones) & ~x & highs != 0 }
        return (w &- controls) & ~w & highs != 0 || hasZeroByte(w ^ quotes) || hasZeroByte(w ^ backslashes)
    }
}

extension ByteSink: JSONByteOutput {}
