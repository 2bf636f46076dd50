/// The rules of one robots.txt that apply to one crawler (RFC 9309): the groups whose
/// `user-agent` matches our product token, merged, else the `*` groups, else nothing (all allowed).
/// A path is judged by the longest matching `allow`/`disallow` pattern (`*` any run of bytes, a
/// final `$` the end of the path); on a tie `allow` wins.
public struct RobotsRules: Sendable, Equatable {
    public struct Rule: Sendable, Equatable {
        public var allow: Bool
        /// Normalized pattern bytes (percent escapes upper-cased, non-ASCII percent-encoded).
        public var pattern: [UInt8]
    }

    /// Rules of the chosen group(s); empty = everything allowed.
    public private(set) var rules: [Rule]
    /// Set for an unreachable robots.txt (5xx, network error): nothing may be fetched.
    public private(set) var disallowAll: Bool

    /// Bytes of a robots.txt that are parsed; the rest is ignored (RFC 9309 asks for at least 500 KiB).
    public static let parseLimit = 512 * 1024
    /// Longest pattern kept (longer lines are junk, and matching cost grows with length).
    static let maxPatternLength = 2_048

    public static let allowAll = RobotsRules(rules: [], disallowAll: false)
    public static let unreachable = RobotsRules(rules: [], disallowAll: true)

    init(rules: [Rule], disallowAll: Bool) { self.rules = rules; self.disallowAll = disallowAll }

    /// Parses `text` for the crawler whose product token is `agent` (e.g. `dyadwatch`).
    public init(parsing bytes: [UInt8], agent: String) {
        let token = Array(agent.lowercased().utf8)
        var mine: [Rule] = [], star: [Rule] = []
        var foundMine = false, foundStar = false
        // The current group: which agents it names, and whether its rules started.
        var groupMine = false, groupStar = false, inRules = false
        let limit = min(bytes.count, Self.parseLimit)
        var start = 0
        // Skip a UTF-8 byte order mark.
        if limit >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { start = 3 }
        while start < limit {
            var end = start
            while end < limit, bytes[end] != 0x0A, bytes[end] != 0x0D { end += 1 }
            let line = bytes[start..<end]
            start = end + 1
            guard let (key, value) = Self.keyValue(line) else { continue }
            switch key {
            case "user-agent":
                if inRules { groupMine = false; groupStar = false; inRules = false }
                let name = Self.productToken(value)
                if name == [UInt8(ascii: "*")] { groupStar = true; foundStar = true }
                else if !name.isEmpty, name == token { groupMine = true; foundMine = true }
            case "allow", "disallow":
                inRules = true
                guard groupMine || groupStar else { continue }
                // An empty `disallow:` allows everything; it adds no rule.
                guard !value.isEmpty, value.count <= Self.maxPatternLength else { continue }
                let rule = Rule(allow: key == "allow", pattern: Self.normalize(value))
                if groupMine { mine.append(rule) }
                if groupStar { star.append(rule) }
            default:
                // sitemap, crawl-delay, host…: not part of the access rules; do not end a group.
                continue
            }
        }
        rules = foundMine ? mine : (foundStar ? star : [])
        disallowAll = false
    }

    /// Whether `pathAndQuery` (`/a/b?c=d`, as in the request line) may be fetched.
    public func allows(_ pathAndQuery: String) -> Bool {
        if disallowAll { return false }
        var path = Self.normalize(Array(pathAndQuery.utf8))
        if path.isEmpty { path = [UInt8(ascii: "/")] }
        if path == Array("/robots.txt".utf8) { return true }
        var best: (length: Int, allow: Bool)? = nil
        for rule in rules where Self.matches(rule.pattern, path) {
            let length = rule.pattern.count
            if best == nil || length > best!.length || (length == best!.length && rule.allow) {
                best = (length, rule.allow)
            }
        }
        return best?.allow ?? true
    }

    // MARK: parsing helpers

    /// `key: value` with the key lower-cased, comments and surrounding blanks dropped.
    static func keyValue(_ line: ArraySlice<UInt8>) -> (String, [UInt8])? {
        var content = line
        if let hash = content.firstIndex(of: UInt8(ascii: "#")) { content = content[..<hash] }
        guard let colon = content.firstIndex(of: UInt8(ascii: ":")) else { return nil }
        let key = String(decoding: trim(content[..<colon]), as: UTF8.self).lowercased()
        return (key, Array(trim(content[(colon + 1)...])))
    }

    static func trim(_ s: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var a = s.startIndex, b = s.endIndex
        while a < b, s[a] == 0x20 || s[a] == 0x09 { a += 1 }
        while b > a, s[b - 1] == 0x20 || s[b - 1] == 0x09 { b -= 1 }
        return s[a..<b]
    }

    /// The product token of a `user-agent` value, lower-cased: `Dyadwatch/1.0 (+url)` → `dyadwatch`.
    static func productToken(_ value: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        for b in value {
            if b == UInt8(ascii: "/") || b == 0x20 || b == 0x09 { break }
            out.append(b >= 65 && b <= 90 ? b + 32 : b)
        }
        return out
    }

    /// Upper-cases the hex digits of `%xx` escapes and percent-encodes non-ASCII bytes and blanks,
    /// so a pattern and a path written differently compare equal.
    static func normalize(_ bytes: [UInt8]) -> [UInt8] {
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "%"), i + 2 < bytes.count, isHex(bytes[i + 1]), isHex(bytes[i + 2]) {
                out.append(b); out.append(upper(bytes[i + 1])); out.append(upper(bytes[i + 2]))
                i += 3
                continue
            }
            if b >= 0x80 || b <= 0x20 {
                out.append(UInt8(ascii: "%")); out.append(hex[Int(b >> 4)]); out.append(hex[Int(b & 15)])
            } else {
                out.append(b)
            }
            i += 1
        }
        return out
    }

    private static func isHex(_ b: UInt8) -> Bool { (48...57).contains(b) || (65...70).contains(b) || (97...102).contains(b) }
    private static func upper(_ b: UInt8) -> UInt8 { (97...102).contains(b) ? b - 32 : b }

    /// Prefix match with `*` (any run of bytes) and a final `$` (end of path). Greedy with one
    /// backtrack point, so the cost is at most pattern × path.
    static func matches(_ pattern: [UInt8], _ path: [UInt8]) -> Bool {
        var p = pattern[...]
        var anchored = false
        if p.last == UInt8(ascii: "$") { anchored = true; p = p.dropLast() }
        let star = UInt8(ascii: "*")
        var pi = p.startIndex, si = 0
        var starAt: Int? = nil, starMatch = 0
        while si < path.count {
            if pi < p.endIndex, p[pi] == star {
                starAt = pi; starMatch = si; pi += 1
            } else if pi < p.endIndex, p[pi] == path[si] {
                pi += 1; si += 1
            } else if pi == p.endIndex, !anchored {
                return true  // the pattern is a prefix of the path
            } else if let s = starAt {
                pi = s + 1; starMatch += 1; si = starMatch
            } else {
                return false
            }
        }
        while pi < p.endIndex, p[pi] == star { pi += 1 }
        return pi == p.endIndex
    }
}
