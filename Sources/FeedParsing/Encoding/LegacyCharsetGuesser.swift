import Foundation

/// Guesses the legacy charset of undeclared, non-UTF-8 text from its byte statistics: Cyrillic
/// single-byte (windows-1251 vs KOI8-R) or a CJK double-byte encoding (GB18030, Big5, Shift_JIS).
enum LegacyCharsetGuesser {
    /// Share of high bytes at or above 0xC0 above which text is taken as Cyrillic single-byte.
    private static let cyrillicShare = 0.8
    /// Share of high-byte pairs whose second byte is below 0xA0 above which text is double-byte
    /// (CJK trail bytes often are; Cyrillic letters in both charsets never are).
    private static let lowTrailShare = 0.3

    static func guess(_ d: [UInt8]) -> String {
        var high = 0, upperHalf = 0, lowerCaseCP1251 = 0, lowerCaseKOI8 = 0
        for b in d where b >= 0x80 {
            high += 1
            if b >= 0xC0 { upperHalf += 1 }
            if b >= 0xE0 { lowerCaseCP1251 += 1 } else if b >= 0xC0 { lowerCaseKOI8 += 1 }
        }
        guard high > 0 else { return "windows-1252" }
        if Double(upperHalf) / Double(high) >= cyrillicShare && !looksDoubleByte(d) {
            // Russian text is mostly lower case: in windows-1251 that is 0xE0–0xFF, in KOI8-R 0xC0–0xDF.
            return lowerCaseCP1251 >= lowerCaseKOI8 ? "windows-1251" : "koi8-r"
        }
        for candidate in ["gb18030", "big5", "shift_jis"] where decodesStrictly(d, candidate) {
            return candidate
        }
        return "windows-1252"
    }

    /// Double-byte text has high bytes in pairs with a trail byte that is often below 0xC0.
    private static func looksDoubleByte(_ d: [UInt8]) -> Bool {
        var pairs = 0, lowTrail = 0, i = 0
        while i + 1 < d.count {
            if d[i] >= 0x81 {
                pairs += 1
                if d[i + 1] < 0xA0 { lowTrail += 1 }
                i += 2
            } else { i += 1 }
        }
        return pairs > 0 && Double(lowTrail) / Double(pairs) > lowTrailShare
    }

    private static func decodesStrictly(_ d: [UInt8], _ charset: String) -> Bool {
        if case .success = Transcoder.toUTF8(d, from: CharsetDetector.iconvName(for: charset), strict: true) { return true }
        return false
    }
}
