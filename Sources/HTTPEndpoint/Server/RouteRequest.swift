import Foundation

/// What a route sees of a request: method, path and decoded query. The server hands only
/// requests without a body to the routes (they are read-only), so there is nothing else.
struct RouteRequest: Sendable, Equatable {
    var method: String
    /// Path without the query, percent-decoding not applied (routes are plain ASCII).
    var path: String
    var query: [String: String]

    init(method: String, path: String, query: [String: String] = [:]) {
        self.method = method; self.path = path; self.query = query
    }

    /// `/a?x=1&y=2` → path `/a`, query [x: 1, y: 2]; values percent-decoded, `+` is a space.
    init(method: String, target: String) {
        guard let q = target.firstIndex(of: "?") else { self.init(method: method, path: target); return }
        var query: [String: String] = [:]
        for pair in target[target.index(after: q)...].split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let decode = { (s: Substring) in (String(s).replacingOccurrences(of: "+", with: " ").removingPercentEncoding) ?? String(s) }
            query[decode(kv[0])] = kv.count > 1 ? decode(kv[1]) : ""
        }
        self.init(method: method, path: String(target[..<q]), query: query)
    }
}
