/// Undoes a common publishing error: UTF-8 text decoded as Latin-1/windows-1252 and encoded
/// again (or written as character references), so "…" shows up as "â€¦". When every character
/// of a string is in U+0000–U+00FF, at least one is non-ASCII, and the same code points read
/// as bytes form valid multi-byte UTF-8, the UTF-8 reading is returned. Text in Cyrillic, CJK or
/// any other script beyond Latin-1 is never touched.
enum MojibakeRepair {
    static func fix(_ s: String) -> String {
        // Fast exit without allocating: pure ASCII, or a code point above U+00FF (lead byte ≥ 0xC4).
        var candidate = false
        for b in s.utf8 {
            if b >= 0xC4 { return s }
            if b >= 0x80 { candidate = true }
        }
        guard candidate else { return s }
        var bytes: [UInt8] = []
        var sawHigh = false
        for u in s.unicodeScalars {
            guard u.value <= 0xFF else { return s }
            if u.value >= 0x80 { sawHigh = true }
            bytes.append(UInt8(u.value))
        }
        guard sawHigh, let repaired = String(validating: bytes, as: UTF8.self) else { return s }
        return repaired
    }

    static func fix(_ s: String?) -> String? { s.map(fix) }
}
