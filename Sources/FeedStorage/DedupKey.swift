import DyadConfig
import DyadCore
import Foundation

/// The identity of an entry within its feed, so the same article is never stored twice.
/// Rules: the GUID/Atom id when present; else the link normalized (scheme-insensitive, fragment
/// and `utm_*` parameters stripped); else a hash of title + date + summary. A feed's
/// `dedup_key` override forces the link or hash rule (falling back down the same list).
public enum DedupKey {
    /// Separator between hashed fields: a control character that never occurs in feed text.
    static let fieldSeparator = "\u{1F}"

    public static func key(for entry: FeedEntry, rule: DedupKeyRule? = nil) -> String {
        let guid = entry.id?.trimmingWhitespaceAndNewlines().nonEmpty
        // Normalized only when the rule gets to it (URL parsing costs more than the rest of the key).
        var link: String? { entry.link.flatMap(normalizedLink) }
        switch rule ?? .guid {
        case .guid:
            if let guid { return "id:" + guid }
            if let link { return "link:" + link }
        case .link:
            if let link { return "link:" + link }
            if let guid { return "id:" + guid }
        case .hash:
            break
        }
        return "hash:" + contentKeyHash(entry)
    }

    /// Hash of title + date + summary: the last resort when an entry has neither id nor link.
    static func contentKeyHash(_ entry: FeedEntry) -> String {
        let date = (entry.published ?? entry.updated).map(ISO8601.string) ?? ""
        return SHA256.hex(joining: [entry.title ?? "", date, entry.summary ?? entry.content ?? entry.text ?? ""], separator: fieldSeparator)
    }

    /// Hash of what a reader sees; a change under the same key makes the entry an update.
    /// Dates are left out: some feeds rewrite every item's date on each build.
    public static func contentHash(for entry: FeedEntry) -> String {
        SHA256.hex(joining: [entry.title ?? "", entry.link ?? "", entry.summary ?? "", entry.content ?? "", entry.text ?? ""],
                   separator: fieldSeparator)
    }

    /// `HTTPS://Example.com:443/a?utm_source=x&id=3#top` → `example.com/a?id=3`: scheme, default
    /// port, fragment and `utm_*` parameters dropped, host lower-cased. Nil for an empty link.
    public static func normalizedLink(_ raw: String) -> String? {
        let trimmed = raw.trimmingWhitespaceAndNewlines()
        guard !trimmed.isEmpty else { return nil }
        guard var c = URLComponents(string: trimmed), let host = c.host, !host.isEmpty else {
            // Not a parseable absolute URL: still strip the fragment so `#…` variants match.
            return String(trimmed.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0])
        }
        let scheme = c.scheme?.lowercased()
        if (scheme == "http" && c.port == 80) || (scheme == "https" && c.port == 443) { c.port = nil }
        c.fragment = nil
        if let items = c.percentEncodedQueryItems {
            let kept = items.filter { !$0.name.lowercased().hasPrefix("utm_") }
            c.percentEncodedQueryItems = kept.isEmpty ? nil : kept
        }
        var out = host.lowercased()
        if let port = c.port { out += ":\(port)" }
        out += c.percentEncodedPath.isEmpty ? "/" : c.percentEncodedPath
        if let query = c.percentEncodedQuery, !query.isEmpty { out += "?" + query }
        return out
    }
}

extension String {
    var nonEmpty: String? { isEmpty ? nil : self }
}
