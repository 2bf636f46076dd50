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
        for sep in separators {
            guard let r = title.range(of: sep, options: .backwards) else { continue }
            let head = title[..<r.lowerBound], tail = title[r.upperBound...]
            if tail.count < head.count && words(head) >= 3 && words(tail) <= 4 { return String(head) }
        }
        return title
    }

    private static func words(_ s: Substring) -> Int { s.split(separator: " ").count }
}
