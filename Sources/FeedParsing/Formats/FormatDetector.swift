import DyadCore

/// Recognises the syndication format from the root element, its namespace and version.
enum FormatDetector {
    static func detect(_ root: XMLElement) -> FeedFormat {
        let name = root.name.lowercased()
        let ns = root.namespace
        switch name {
        case "rss":
            let version = root.attribute("version")?.trimmingASCIIWhitespace() ?? ""
            if version.hasPrefix("0.91") { return .rss091 }
            if version.hasPrefix("0.92") || version.hasPrefix("0.93") { return .rss092 }
            if version.hasPrefix("0.90") { return .rss090 }
            return .rss20
        case "rdf":
            let channelNS = root.elements.first { $0.nameID == .channel }?.namespace
            if ns == Namespace.rss090 || channelNS == Namespace.rss090 { return .rss090 }
            return .rss10
        case "feed":
            if ns == Namespace.atom10 { return .atom10 }
            if ns == Namespace.atom03 || root.attribute("version")?.hasPrefix("0.") == true { return .atom03 }
            return .atom10
        case "channel":
            return .rss091
        default:
            return .unknown
        }
    }
}
