import Foundation

/// feeds.conf text for tests that start the real binary or load a configuration: tables of TOML
/// lines in the order given, then the `[[feed]]` tables.
///
///     var conf = FeedsConf(daemon: ["state_dir = \"state\"", "interval = \"1m\""])
///     conf.table("fulltext", "timeout = \"20s\"")
///     conf.feeds = [.init(id: "alpha", url: server.url("/alpha.xml"), group: "cn-state")]
///     try conf.write(to: dir.appendingPathComponent("feeds.conf"))
public struct FeedsConf: Sendable {
    public struct Feed: Sendable {
        public var id: String
        public var name: String
        public var url: String
        public var group: String?
        public var language: String?
        /// More `key = value` lines of this feed (`fulltext = true`, `outlet = "…"`).
        public var extra: [String]

        public init(id: String, name: String? = nil, url: String, group: String?, language: String? = "en", extra: [String] = []) {
            self.id = id; self.name = name ?? id.capitalized; self.url = url; self.group = group
            self.language = language; self.extra = extra
        }

        var text: String {
            var lines = ["[[feed]]", "id = \"\(id)\"", "name = \"\(name)\"", "url = \"\(url)\""]
            if let group { lines.append("group = \"\(group)\"") }
            if let language { lines.append("language = \"\(language)\"") }
            return (lines + extra).joined(separator: "\n") + "\n"
        }
    }

    public var tables: [(name: String, lines: [String])] = []
    public var feeds: [Feed] = []

    /// Starts with a `[daemon]` table of these lines.
    public init(daemon: [String], feeds: [Feed] = []) {
        tables = [("daemon", daemon)]
        self.feeds = feeds
    }

    /// Appends a table (`storage`, `fulltext`, `http` …), or lines to one already there.
    public mutating func table(_ name: String, _ lines: String...) {
        if let i = tables.firstIndex(where: { $0.name == name }) { tables[i].lines += lines } else { tables.append((name, lines)) }
    }

    public var text: String {
        let parts = tables.map { "[\($0.name)]\n" + $0.lines.map { $0 + "\n" }.joined() } + feeds.map(\.text)
        return parts.joined(separator: "\n")
    }

    public func write(to url: URL) throws { try Data(text.utf8).write(to: url) }
}
