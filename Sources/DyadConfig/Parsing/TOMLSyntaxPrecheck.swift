import Foundation

/// Rejects, before any TOML library sees the text, the shapes known to crash one: a table header
/// (`[name]`, `[[name]]`) not closed on its own line — the file whose last line is a lone `[`,
/// `[[` or `a=1` then `[` aborts TOMLKit 0.6.0's bundled toml++ when it keeps its assertions
/// (issue 12) — and characters TOML forbids anywhere (NUL and other control characters but tab).
/// Every shape rejected here is invalid TOML, so a valid file never fails this check.
public enum TOMLSyntaxPrecheck {
    /// The first problem found, or nil when the text may go to the parser.
    public static func firstError(in text: String) -> ConfigSyntaxError? {
        var lineNumber = 0
        var openMultiline: String? = nil
        var valueDepth = 0
        for rawLine in SourceMap.lines(of: text) {
            lineNumber += 1
            if let column = forbiddenCharacterColumn(rawLine) {
                return ConfigSyntaxError(line: lineNumber, column: column,
                                         message: "control character not allowed in TOML (use an escape such as \\u0000 inside a string)")
            }
            let line = rawLine
            if let delimiter = openMultiline {
                guard let close = line.range(of: delimiter) else { continue }
                openMultiline = nil
                if valueDepth > 0 {
                    let scan = SourceMap.scanValue(line[close.upperBound...])
                    valueDepth = max(0, valueDepth + scan.depth); openMultiline = scan.openMultiline
                }
                continue
            }
            if valueDepth > 0 {
                let scan = SourceMap.scanValue(Substring(line))
                valueDepth = max(0, valueDepth + scan.depth)
                openMultiline = scan.openMultiline
                continue
            }
            let trimmed = SourceMap.trimmed(line)
            if trimmed.hasPrefix("[") {
                if !headerIsClosed(trimmed) {
                    return ConfigSyntaxError(line: lineNumber, column: nil,
                                             message: "table header \(trimmed.hasPrefix("[[") ? "\"[[\"" : "\"[\"") is not closed on its line (expected \(trimmed.hasPrefix("[[") ? "[[name]]" : "[name]"))")
                }
                continue
            }
            guard let equals = SourceMap.keyValueSeparator(in: trimmed) else { continue }
            let scan = SourceMap.scanValue(trimmed[trimmed.index(after: equals)...])
            valueDepth = max(0, scan.depth)
            openMultiline = scan.openMultiline
        }
        return nil
    }

    /// Whether a header line closes its brackets: `[` or `[[`, a key (bare, quoted, dotted), then
    /// `]` or `]]`. Only "ends before the closing bracket" is judged here; any other oddity is
    /// left to the parser, which reports it as an ordinary syntax error.
    static func headerIsClosed(_ line: String) -> Bool {
        let bytes = Array(line.utf8)
        let double = bytes.count >= 2 && bytes[1] == UInt8(ascii: "[")
        var i = double ? 2 : 1
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "\"") || b == UInt8(ascii: "'") {
                i += 1
                while i < bytes.count, bytes[i] != b {
                    if b == UInt8(ascii: "\""), bytes[i] == UInt8(ascii: "\\") { i += 1 }
                    i += 1
                }
                if i >= bytes.count { return false }  // unterminated quoted key
                i += 1
                continue
            }
            if b == UInt8(ascii: "]") {
                return !double || (i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: "]"))
            }
            if b == UInt8(ascii: "#") { return false }
            i += 1
        }
        return false
    }

    /// Column (1-based) of a control character TOML does not allow in a line (tab is allowed; a
    /// CR only before the LF).
    static func forbiddenCharacterColumn(_ line: String) -> Int? {
        var column = 0
        let utf8 = line.utf8
        var index = utf8.startIndex
        while index != utf8.endIndex {
            let b = utf8[index]
            column += 1
            let next = utf8.index(after: index)
            if b == 0x7F || (b < 0x20 && b != 0x09 && !(b == 0x0D && next == utf8.endIndex)) { return column }
            index = next
        }
        return nil
    }
}
