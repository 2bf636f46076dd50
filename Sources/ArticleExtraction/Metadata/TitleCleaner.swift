import Foundation

/// Takes the site name off a page title: "Talks stall in Ankara | The Daily Post" → "Talks stall
/// in Ankara". The site name is known (og:site_name) or inferred: the shorter side of the last
/// separator when the rest still reads as a headline (three words or more).
enum TitleCleaner {
    private static let separators = [" | ", " - ", " – ", " — ", " :: ", " · ", " • ", " // ", " » ", " ‹ ", " › "]

    static func clean(_ title: String, siteName: String?) -> String {
        if let site = siteName?.trimmingCharacters(in: .whitespaces), !site.isEmpty, site.count < title.count {
            for sep in separators {
                if title.hasSuffix(sep + site) { return String(title.dropLast(sep.count + site.count)) }
                if title.hasPrefix(site + sep) { return String(title.dropFirst(sep.count + site.count)) }
            }
        }
        let bytes = Array(title.utf8)
        for sep in separators {
            guard let at = lastIndex(of: Array(sep.utf8), in: bytes) else { continue }
            let head = String(decoding: bytes[..<at], as: UTF8.self)
            let tail = String(decoding: bytes[(at + sep.utf8.count)...], as: UTF8.self)
            if tail.count < head.count && words(head[...]) >= 3 && words(tail[...]) <= 4 { return head }
        }
        return title
    }

    private static func lastIndex(of needle: [UInt8], in hay: [UInt8]) -> Int? {
        guard needle.count <= hay.count else { return nil }
        var i = hay.count - needle.count
        while i >= 0 {
            if hay[i] == needle[0] && hay[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i -= 1
        }
        return nil
    }

    private static func words(_ s: Substring) -> Int { s.split(separator: " ").count }
}
