/// A small, linear HTML-to-text converter for `analyze` input: drops tags, comments, scripts and
/// styles, turns block elements into line breaks and decodes common entities. It is not a full
/// HTML parser; feeds go through FeedParsing, which renders entry HTML properly.
public enum HTMLText {
    /// Whether the bytes look like an HTML document or fragment (checked on the first 4 KiB).
    public static func looksLikeHTML(_ bytes: [UInt8]) -> Bool {
        let head = String(decoding: bytes.prefix(4096), as: UTF8.self).lowercased()
        return ["<!doctype html", "<html", "<body", "<p>", "<div", "<article", "<br", "<h1"].contains { head.contains($0) }
    }

    /// The document's `<title>`, if any.
    public static func title(_ html: String) -> String? {
        let lower = html.lowercased()
        guard let open = lower.range(of: "<title"), let gt = lower[open.upperBound...].firstIndex(of: ">"),
              let close = lower[gt...].range(of: "</title>") else { return nil }
        let raw = String(html[html.index(after: gt)..<close.lowerBound])
        let t = decodeEntities(raw).split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        return t.isEmpty ? nil : t
    }

    /// Longest run scanned for a tag's closing '>' (a lone '<' in text must not make this quadratic).
    static let maxTagLength = 2048
    static let blockTags: Set<String> = ["p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section",
                                         "article", "blockquote", "header", "footer", "title", "ul", "ol", "table"]
    static let skippedTags: Set<String> = ["script", "style", "head", "noscript", "template"]

    /// Plain text of an HTML string.
    public static func plainText(_ html: String) -> String {
        var out = String.UnicodeScalarView()
        let s = Array(html.unicodeScalars)
        var i = 0
        var skipUntil: String?
        while i < s.count {
            let c = s[i]
            if c == "<" {
                // Comment
                if i + 3 < s.count && s[i + 1] == "!" && s[i + 2] == "-" && s[i + 3] == "-" {
                    var j = i + 4
                    while j + 2 < s.count && !(s[j] == "-" && s[j + 1] == "-" && s[j + 2] == ">") { j += 1 }
                    i = min(s.count, j + 3); continue
                }
                var j = i + 1
                while j < s.count && s[j] != ">" && j - i < maxTagLength { j += 1 }
                if j >= s.count || s[j] != ">" {              // a lone '<' is text
                    if skipUntil == nil { out.append(c) }
                    i += 1
                    continue
                }
                let inner = String(String.UnicodeScalarView(s[(i + 1)..<min(j, s.count)])).lowercased()
                let closing = inner.hasPrefix("/")
                let name = String(inner.drop(while: { $0 == "/" }).prefix(while: { $0.isLetter || $0.isNumber }))
                if let skip = skipUntil {
                    if closing && name == skip { skipUntil = nil }
                } else if !closing && skippedTags.contains(name) && !inner.hasSuffix("/") {
                    skipUntil = name
                } else if blockTags.contains(name) {
                    out.append("\n")
                }
                i = j + 1
                continue
            }
            if skipUntil == nil { out.append(c) }
            i += 1
        }
        return decodeEntities(String(out))
    }

    static let namedEntities: [String: String] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": " ", "mdash": "—", "ndash": "–",
        "lsquo": "‘", "rsquo": "’", "ldquo": "“", "rdquo": "”", "laquo": "«", "raquo": "»", "hellip": "…",
    ]

    /// Decodes `&name;`, `&#123;` and `&#x1F;` entities; leaves unknown ones as they are.
    static func decodeEntities(_ text: String) -> String {
        guard text.contains("&") else { return text }
        var out = ""
        var rest = Substring(text)
        while let amp = rest.firstIndex(of: "&") {
            out += rest[..<amp]
            let after = rest[rest.index(after: amp)...]
            if let semi = after.prefix(12).firstIndex(of: ";") {
                let name = String(after[..<semi])
                var decoded: String?
                if name.hasPrefix("#x") || name.hasPrefix("#X") {
                    decoded = UInt32(name.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init).map { String($0) }
                } else if name.hasPrefix("#") {
                    decoded = UInt32(name.dropFirst()).flatMap(Unicode.Scalar.init).map { String($0) }
                } else {
                    decoded = namedEntities[name]
                }
                if let d = decoded { out += d; rest = after[after.index(after: semi)...]; continue }
            }
            out += "&"
            rest = after
        }
        out += rest
        return out
    }
}
