import Foundation

/// Parsing of the response header values the fetcher acts on.
public enum HTTPHeaderValues {
    /// `Retry-After`: delta-seconds or an HTTP date; seconds from `now`, never negative.
    public static func retryAfter(_ value: String, now: Date) -> TimeInterval? {
        let v = value.trimmingCharacters(in: .whitespaces)
        if let seconds = Int(v) { return TimeInterval(max(0, seconds)) }
        guard let date = httpDate(v) else { return nil }
        return max(0, date.timeIntervalSince(now))
    }

    /// IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), RFC 850 and asctime forms.
    public static func httpDate(_ value: String) -> Date? {
        for format in ["EEE, dd MMM yyyy HH:mm:ss zzz", "EEEE, dd-MMM-yy HH:mm:ss zzz", "EEE MMM d HH:mm:ss yyyy"] {
            let f = DateFormatter()
            f.locale = Locale(identifier: "en_US_POSIX")
            f.timeZone = TimeZone(identifier: "GMT")
            f.dateFormat = format
            if let d = f.date(from: value) { return d }
        }
        return nil
    }

    /// `max-age` (or `s-maxage`) of a Cache-Control value; nil with `no-store`/`no-cache` or none.
    public static func maxAge(_ cacheControl: String) -> TimeInterval? {
        var result: TimeInterval? = nil
        for directive in cacheControl.split(separator: ",") {
            let parts = directive.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            switch parts[0] {
            case "no-store", "no-cache": return nil
            case "max-age", "s-maxage":
                if parts.count == 2, let s = Int(parts[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))), s >= 0 {
                    result = max(result ?? 0, TimeInterval(s))
                }
            default: continue
            }
        }
        return result
    }

    /// The `charset` parameter of a Content-Type value, lower-cased.
    public static func charset(_ contentType: String) -> String? {
        for param in contentType.split(separator: ";").dropFirst() {
            let kv = param.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if kv.count == 2, kv[0].lowercased() == "charset" {
                return kv[1].trimmingCharacters(in: CharacterSet(charactersIn: "\"'")).lowercased()
            }
        }
        return nil
    }

    /// The scheme of `url`, lower-cased; nil when it has none.
    public static func scheme(_ url: String) -> String? {
        guard let colon = url.firstIndex(of: ":") else { return nil }
        let s = url[..<colon]
        guard let first = s.first, first.isLetter, s.allSatisfy({ $0.isLetter || $0.isNumber || "+-.".contains($0) }) else { return nil }
        return s.lowercased()
    }

    /// Host of `url`, lower-cased (the per-host limit keys on `HostSlots.key`, host and port).
    public static func host(_ url: String) -> String {
        URLComponents(string: url)?.host?.lowercased() ?? ""
    }
}
