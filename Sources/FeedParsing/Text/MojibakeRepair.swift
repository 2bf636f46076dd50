/// Undoes a common publishing error: UTF-8 text decoded as Latin-1/windows-1252 and encoded
/// again (or written as character references), so "…" shows up as "â€¦". When every character
/// of a string is in U+0000–U+00FF, at least one is non-ASCII, and the same code points read
/// as bytes form valid multi-byte UTF-8, the UTF-8 reading is returned. Text in Cyrillic, CJK or
/// any other script beyond Latin-1 is never touched.
enum MojibakeRepair {
    static func fix(_ s: String) -> String {
        // Fast exit without allocating: pure ASCII, or a code point above U+00FF (lead byte ≥ 0xC4).
        var s = s
        let candidate = s.withUTF8 { Self.isCandidate($0) }
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

    /// Bytes checked per step by the ASCII fast path.
    private static let word = MemoryLayout<UInt64>.size
    /// The high bit of every byte of a word: a non-zero AND means a non-ASCII byte.
    private static let highBits: UInt64 = 0x8080_8080_8080_8080

    /// True when the UTF-8 bytes hold a non-ASCII byte and no lead byte ≥ 0xC4 (a code point
    /// above U+00FF). Skips pure-ASCII stretches a word at a time (most feed text is ASCII).
    private static func isCandidate(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return false }
        let raw = UnsafeRawPointer(base)
        var candidate = false
        var i = 0
        while i < bytes.count {
            if i + word <= bytes.count && raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) & highBits == 0 {
                i += word
                continue
            }
            let b = bytes[i]
            if b >= 0xC4 { return false }
            if b >= 0x80 { candidate = true }
            i += 1
        }
        return candidate
    }
}
