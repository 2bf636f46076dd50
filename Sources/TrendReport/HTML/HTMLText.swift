import Foundation

/// Escaping for text that comes from strangers (feed titles, outlet names, links): everything
/// written into the page goes through one of these, so a feed title can never open a tag, close
/// an attribute or start a script.
public enum HTMLText {
    /// Text content and attribute values (double-quoted): `& < > " '` become entities.
    public static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for ch in s.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            // Control characters (other than tab/newline) are not allowed in HTML text.
            case _ where ch.value < 0x20 && ch != "\t" && ch != "\n": out += " "
            case "\u{7F}": out += " "
            default: out.unicodeScalars.append(ch)
            }
        }
        return out
    }

    /// A link from a feed, usable as an `href`: only absolute http(s) URLs, escaped; nil for
    /// anything else (`javascript:`, `data:`, relative or unparsable), which is then shown as text.
    public static func safeHref(_ link: String?) -> String? {
        guard let link = link?.trimmingCharacters(in: .whitespacesAndNewlines), !link.isEmpty,
              let url = URLComponents(string: link), let scheme = url.scheme?.lowercased(),
              scheme == "http" || scheme == "https", let host = url.host, !host.isEmpty else { return nil }
        return escape(link)
    }

    /// An identifier usable in `id`/`href="#…"`: letters, digits, `-` and `_` only.
    public static func token(_ s: String) -> String {
        String(s.unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) && $0.isASCII || $0 == "-" || $0 == "_" }
            .map(Character.init))
    }
}
