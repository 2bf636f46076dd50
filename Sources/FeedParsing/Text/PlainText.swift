import CLibXML2
import Foundation

/// Renders HTML (or plain text with entities) to plain text for analysis: markup stripped,
/// entities decoded, script/style/head content dropped, block elements separated, whitespace
/// collapsed to single spaces (paragraph breaks become one newline).
public enum PlainText {
    /// Elements whose content is never text for a reader.
    private static let dropped: Set<String> = ["script", "style", "head", "title", "noscript", "template", "iframe", "object", "svg", "math"]
    /// Deepest HTML nesting walked; deeper markup (hostile or broken) contributes no text.
    private static let maxDepth = 256
    /// Elements that break the flow of text.
    private static let blocks: Set<String> = [
        "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "table", "tr",
        "td", "th", "section", "article", "header", "footer", "figure", "figcaption", "hr", "dd", "dt", "dl", "aside", "nav",
    ]

    public static func render(html: String) -> String {
        let utf8 = html.utf8
        if !utf8.contains(UInt8(ascii: "<")) && !utf8.contains(UInt8(ascii: "&")) { return collapse(html) }
        LibXML2Runtime.prepareThread()
        let options = Int32(HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue
            | HTML_PARSE_NONET.rawValue | HTML_PARSE_COMPACT.rawValue)
        let bytes = Array(utf8)
        guard !bytes.isEmpty else { return "" }
        let doc = bytes.withUnsafeBufferPointer { buf in
            buf.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buf.count) {
                htmlReadMemory($0, Int32(clamping: buf.count), nil, "UTF-8", options)
            }
        }
        guard let doc else { return collapse(html) }
        defer { xmlFreeDoc(doc) }
        var out = ""
        var node = doc.pointee.children
        while let n = node {
            walk(n, depth: 0, into: &out)
            node = n.pointee.next
        }
        return collapse(out)
    }

    private static func walk(_ node: xmlNodePtr, depth: Int, into out: inout String) {
        guard depth < maxDepth else { return }
        switch node.pointee.type {
        case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
            if let content = node.pointee.content { out += String(cString: content) }
        case XML_ELEMENT_NODE:
            let name = node.pointee.name.map { String(cString: $0).lowercased() } ?? ""
            if dropped.contains(name) { return }
            let block = blocks.contains(name)
            if block { out += "\n" }
            if name == "img", let alt = xmlGetProp(node, "alt") {
                out += " " + String(cString: alt) + " "
                dyad_xmlFree(alt)
            }
            var child = node.pointee.children
            while let c = child { walk(c, depth: depth + 1, into: &out); child = c.pointee.next }
            if block { out += "\n" } else if name == "td" || name == "th" { out += " " }
        default:
            break
        }
    }

    /// Collapses runs of whitespace: a run containing a newline becomes "\n", others one space.
    static func collapse(_ s: String) -> String {
        var out = String.UnicodeScalarView()
        var pendingSpace = false, pendingNewline = false
        for ch in s.unicodeScalars {
            if ch.properties.isWhitespace || ch == "\u{00A0}" {
                if ch == "\n" || ch == "\r" || ch == "\u{2029}" { pendingNewline = true } else { pendingSpace = true }
                continue
            }
            if !out.isEmpty {
                if pendingNewline { out.append("\n") } else if pendingSpace { out.append(" ") }
            }
            pendingSpace = false; pendingNewline = false
            out.append(ch)
        }
        return String(out)
    }
}
