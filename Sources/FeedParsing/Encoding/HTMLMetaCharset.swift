/// The charset an HTML page declares for itself: `<meta charset="…">` or
/// `<meta http-equiv="Content-Type" content="text/html; charset=…">`, found by a byte prescan of
/// the page's head (the HTML standard's prescan, simplified: the first `charset=` inside a
/// `<meta …>` tag wins), and the XML declaration of XHTML pages.
enum HTMLMetaCharset {
    /// Bytes examined. The standard says 1024; real pages put scripts and styles first, so more.
    private static let prescanWindow = 16 * 1024

    static func declared(in d: [UInt8]) -> String? {
        if let xml = CharsetDetector.xmlDeclaredEncoding(d) { return htmlAdjusted(xml) }
        return d.withUnsafeBufferPointer { buf -> String? in
            let n = min(buf.count, prescanWindow)
            var i = 0
            while i + 5 < n {
                // "<meta" followed by whitespace or "/", ASCII case-insensitive.
                if buf[i] == UInt8(ascii: "<"), buf[i + 1] | 0x20 == UInt8(ascii: "m"), buf[i + 2] | 0x20 == UInt8(ascii: "e"),
                   buf[i + 3] | 0x20 == UInt8(ascii: "t"), buf[i + 4] | 0x20 == UInt8(ascii: "a"),
                   isSpaceOrSlash(buf[i + 5]) {
                    var end = i + 5
                    while end < n && buf[end] != UInt8(ascii: ">") { end += 1 }
                    if let value = charsetValue(buf, from: i + 5, to: end) { return htmlAdjusted(value) }
                    i = end
                    continue
                }
                i += 1
            }
            return nil
        }
    }

    /// The value after the first `charset` `=` in `buf[from..<to]`, unquoted.
    private static func charsetValue(_ buf: UnsafeBufferPointer<UInt8>, from: Int, to: Int) -> String? {
        let key: [UInt8] = Array("charset".utf8)
        var i = from
        while i + key.count <= to {
            var match = true
            for k in 0..<key.count where buf[i + k] | 0x20 != key[k] { match = false; break }
            if match {
                var j = i + key.count
                while j < to && isSpace(buf[j]) { j += 1 }
                if j < to && buf[j] == UInt8(ascii: "=") {
                    j += 1
                    while j < to && isSpace(buf[j]) { j += 1 }
                    if j < to && (buf[j] == UInt8(ascii: "\"") || buf[j] == UInt8(ascii: "'")) { j += 1 }
                    var e = j
                    while e < to && !isValueEnd(buf[e]) { e += 1 }
                    if e > j && e - j <= 40 { return String(decoding: UnsafeBufferPointer(rebasing: buf[j..<e]), as: UTF8.self) }
                    return nil
                }
            }
            i += 1
        }
        return nil
    }

    /// HTML's own label rules: a page cannot be UTF-16 once its bytes were read as ASCII
    /// (the standard reads it as UTF-8), and `x-user-defined` is windows-1252 for text.
    private static func htmlAdjusted(_ label: String) -> String {
        let n = CharsetDetector.normalize(label) ?? label
        if n.hasPrefix("utf-16") || n.hasPrefix("utf-32") { return "utf-8" }
        if n == "x-user-defined" { return "windows-1252" }
        return n
    }

    private static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D || b == 0x0C }
    private static func isValueEnd(_ b: UInt8) -> Bool {
        isSpace(b) || b == UInt8(ascii: "\"") || b == UInt8(ascii: "'") || b == UInt8(ascii: ";") || b == UInt8(ascii: "/") || b == UInt8(ascii: ",")
    }
    private static func isSpaceOrSlash(_ b: UInt8) -> Bool { isSpace(b) || b == UInt8(ascii: "/") }
}
