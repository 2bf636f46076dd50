import Foundation

/// Writes an element's children back out as markup (inline XHTML in Atom content, or HTML
/// written unescaped inside RSS elements), escaping text and attribute values as XML requires.
enum MarkupSerializer {
    /// HTML elements that never have content and are written self-closing.
    private static let voidElements: Set<String> = [
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr",
    ]

    static func innerMarkup(of element: XMLElement) -> String {
        var out = ""
        for child in element.children { write(child, into: &out) }
        return out
    }

    private static func write(_ child: XMLChild, into out: inout String) {
        switch child {
        case .text(let t): escape(t, attribute: false, into: &out)
        case .element(let e):
            let name = qualifiedName(e.name, prefix: e.prefix, namespace: e.namespace)
            out += "<" + name
            for a in e.attributes {
                out += " " + qualifiedName(a.name, prefix: a.prefix, namespace: a.namespace) + "=\""
                escape(a.value, attribute: true, into: &out)
                out += "\""
            }
            if e.children.isEmpty && voidElements.contains(e.name.lowercased()) {
                out += " />"
                return
            }
            out += ">"
            for c in e.children { write(c, into: &out) }
            out += "</" + name + ">"
        }
    }

    private static func qualifiedName(_ name: String, prefix: String?, namespace: String?) -> String {
        guard let prefix, !prefix.isEmpty, namespace != Namespace.xhtml else { return name }
        return prefix + ":" + name
    }

    static func escape(_ s: String, attribute: Bool, into out: inout String) {
        for ch in s.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"" where attribute: out += "&quot;"
            default: out.unicodeScalars.append(ch)
            }
        }
    }
}

/// Reads a text construct (Atom `title`/`summary`/`content`, RSS text elements): plain or
/// escaped text as is, base64 decoded, inline markup re-serialised. Atom 1.0 XHTML loses its
/// wrapping `<div>` as the spec says. Values are trimmed.
enum TextConstruct {
    static func value(of e: XMLElement, atom10: Bool = false) -> String {
        let type = e.attribute("type")?.lowercased().trimmingASCIIWhitespace()
        let mode = e.attribute("mode")?.lowercased().trimmingASCIIWhitespace()
        if mode == "base64" || (atom10 && isBase64Type(type)) {
            let raw = e.allText.filter { !$0.isWhitespace }
            if let data = Data(base64Encoded: raw, options: .ignoreUnknownCharacters) {
                return String(decoding: data, as: UTF8.self).trimmingASCIIWhitespace()
            }
        }
        let xhtml = type == "xhtml" || type == "application/xhtml+xml"
        guard e.hasElementChildren else { return e.allText.trimmingASCIIWhitespace() }
        if xhtml && atom10, let div = soleWrappingDiv(e) {
            return MarkupSerializer.innerMarkup(of: div).trimmingASCIIWhitespace()
        }
        return MarkupSerializer.innerMarkup(of: e).trimmingASCIIWhitespace()
    }

    /// Atom 1.0 allows base64 for any non-text, non-XML media type.
    private static func isBase64Type(_ type: String?) -> Bool {
        guard let type, type.contains("/") else { return false }
        return !(type.hasPrefix("text/") || type.hasSuffix("+xml") || type.hasSuffix("/xml"))
    }

    /// The only element child when it is a `<div>` and everything else is whitespace.
    private static func soleWrappingDiv(_ e: XMLElement) -> XMLElement? {
        var found: XMLElement?
        for child in e.children {
            switch child {
            case .text(let t): if !t.trimmingASCIIWhitespace().isEmpty { return nil }
            case .element(let el):
                if found != nil || el.name != "div" { return nil }
                found = el
            }
        }
        return found
    }
}
