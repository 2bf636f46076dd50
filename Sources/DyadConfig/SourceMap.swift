import Foundation

/// Maps TOML key paths back to the lines they were written on. TOMLKit reports lines for syntax
/// errors only, so this scans the source text for `[table]`, `[[array]]` headers and `key =` lines.
/// Paths look like `daemon.interval`, `feed[2].url`; a header maps to `daemon` or `feed[2]`.
public struct SourceMap: Sendable {
    private var lines: [String: Int] = [:]

    public init(text: String) {
        var arrayCounts: [String: Int] = [:]
        var current = ""          // path prefix of the table being read ("" = root)
        var openMultiline: String? = nil  // the delimiter of an unterminated """ or ''' string
        var valueDepth = 0        // open brackets/braces of a multi-line array or inline table
        var lineNumber = 0
        for line in SourceMap.lines(of: text) {
            lineNumber += 1
            if let delimiter = openMultiline {
                if line.contains(delimiter) { openMultiline = nil }
                continue
            }
            if valueDepth > 0 {
                let scan = SourceMap.scanValue(Substring(line))
                valueDepth += scan.depth
                openMultiline = scan.openMultiline
                continue
            }
            let trimmed = SourceMap.trimmed(line)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            if trimmed.hasPrefix("[[") {
                guard let end = trimmed.range(of: "]]") else { continue }
                let name = SourceMap.normalizeKey(String(trimmed[trimmed.index(trimmed.startIndex, offsetBy: 2)..<end.lowerBound]))
                let index = arrayCounts[name, default: 0]
                arrayCounts[name] = index + 1
                current = "\(name)[\(index)]"
                record(current, lineNumber)
                continue
            }
            if trimmed.hasPrefix("[") {
                guard let end = trimmed.firstIndex(of: "]") else { continue }
                current = SourceMap.normalizeKey(String(trimmed[trimmed.index(after: trimmed.startIndex)..<end]))
                record(current, lineNumber)
                continue
            }
            guard let equals = SourceMap.keyValueSeparator(in: trimmed) else { continue }
            let key = SourceMap.normalizeKey(String(trimmed[..<equals]))
            record(current.isEmpty ? key : "\(current).\(key)", lineNumber)
            let scan = SourceMap.scanValue(trimmed[trimmed.index(after: equals)...])
            valueDepth = max(0, scan.depth)
            openMultiline = scan.openMultiline
        }
    }

    /// The lines of `text`, split at LF bytes (a CR before it stays, and `trimmed` drops it). Not
    /// split by `Character`: Swift reads CR LF as one character, so a CRLF file would be one line.
    static func lines(of text: String) -> [String] {
        text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
    }

    private mutating func record(_ path: String, _ line: Int) {
        if lines[path] == nil { lines[path] = line }
    }

    /// Line of `path`, else of its nearest enclosing table that appears in the text.
    public func line(for path: String) -> Int? {
        var candidate = path
        while true {
            if let line = lines[candidate] { return line }
            guard let dot = candidate.lastIndex(of: ".") else { return nil }
            candidate = String(candidate[..<dot])
        }
    }

    /// Line of exactly `path`, nil when that key is not written in the file.
    public func exactLine(for path: String) -> Int? { lines[path] }

    /// `"a" . b` → `a.b`: strips quotes and blanks around dotted key parts.
    static func normalizeKey(_ raw: String) -> String {
        raw.split(separator: ".").map { part in
            var p = SourceMap.trimmed(String(part))
            if p.count >= 2, let f = p.first, f == "\"" || f == "'", p.last == f { p = String(p.dropFirst().dropLast()) }
            return p
        }.joined(separator: ".")
    }

    /// `s` without leading/trailing blanks (spaces, tabs, CR); cheaper than Foundation's trimming.
    static func trimmed(_ s: String) -> String {
        func isBlank(_ c: Character) -> Bool { c == " " || c == "\t" || c == "\r" }
        guard let first = s.firstIndex(where: { !isBlank($0) }), let last = s.lastIndex(where: { !isBlank($0) }) else { return "" }
        return String(s[first...last])
    }

    /// The `=` that separates key and value (outside quoted key parts).
    static func keyValueSeparator(in line: String) -> String.Index? {
        var quote: Character? = nil
        for index in line.indices {
            let c = line[index]
            if let q = quote { if c == q { quote = nil }; continue }
            if c == "\"" || c == "'" { quote = c; continue }
            if c == "=" { return index }
            if c == "#" { return nil }
        }
        return nil
    }

    /// Net bracket depth of a value and whether it opens a multi-line string left unterminated.
    static func scanValue(_ value: Substring) -> (depth: Int, openMultiline: String?) {
        var depth = 0
        var i = value.startIndex
        while i < value.endIndex {
            let rest = value[i...]
            if rest.hasPrefix("\"\"\"") || rest.hasPrefix("'''") {
                let delimiter = String(rest.prefix(3))
                let after = value.index(i, offsetBy: 3)
                guard let close = value[after...].range(of: delimiter) else { return (depth, delimiter) }
                i = close.upperBound
                continue
            }
            let c = value[i]
            if c == "\"" || c == "'" {
                var j = value.index(after: i)
                while j < value.endIndex, value[j] != c {
                    if c == "\"", value[j] == "\\" { j = value.index(after: j); if j == value.endIndex { break } }
                    j = value.index(after: j)
                }
                i = j < value.endIndex ? value.index(after: j) : j
                continue
            }
            if c == "#" { break }
            if c == "[" || c == "{" { depth += 1 }
            if c == "]" || c == "}" { depth -= 1 }
            i = value.index(after: i)
        }
        return (depth, nil)
    }
}
