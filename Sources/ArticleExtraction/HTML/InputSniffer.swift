import FeedParsing

/// Decides, from the first bytes, whether there is a page to read at all.
enum InputSniffer {
    enum Kind { case empty, binary(String), markup }

    /// Bytes examined.
    private static let window = 4096
    /// Control bytes (other than tab, CR, LF, FF, ESC) above this share mean binary data.
    private static let maxControlShare = 0.05

    static func classify(_ bytes: [UInt8]) -> Kind {
        var start = 0
        if let bom = TextDecoding.byteOrderMark(bytes) { start = bom.length }
        let head = bytes[start..<min(bytes.count, start + window)]
        if head.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D || $0 == 0x0C || $0 == 0 }) { return .empty }
        if start == 0 {
            for (magic, name) in magics where bytes.count >= magic.count && Array(bytes[0..<magic.count]) == magic {
                return .binary(name)
            }
        }
        let wide = start > 0 && (bytes[0] == 0xFE || bytes[0] == 0xFF) // UTF-16/32 text has NUL bytes by design
        if !wide {
            let control = head.reduce(0) { $0 + ($1 < 0x20 && $1 != 0x09 && $1 != 0x0A && $1 != 0x0D && $1 != 0x0C && $1 != 0x1B ? 1 : 0) }
            if Double(control) > Double(head.count) * maxControlShare { return .binary("binary data") }
        }
        if !head.contains(UInt8(ascii: "<")) && !wide { return .binary("no markup (plain text or JSON)") }
        return .markup
    }

    private static let magics: [([UInt8], String)] = [
        ([0x25, 0x50, 0x44, 0x46, 0x2D], "a PDF document"),
        ([0x89, 0x50, 0x4E, 0x47], "a PNG image"),
        ([0xFF, 0xD8, 0xFF], "a JPEG image"),
        ([0x47, 0x49, 0x46, 0x38], "a GIF image"),
        ([0x1F, 0x8B], "gzip-compressed data"),
        ([0x50, 0x4B, 0x03, 0x04], "a ZIP archive"),
        ([0x52, 0x49, 0x46, 0x46], "a RIFF media file"),
        ([0x7F, 0x45, 0x4C, 0x46], "an executable"),
    ]
}
