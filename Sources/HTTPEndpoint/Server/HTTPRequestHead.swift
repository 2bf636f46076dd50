import Foundation

/// The request line and headers of one HTTP/1.x request, parsed under fixed limits. The endpoint
/// serves read-only pages, so a request carrying a body is refused rather than read.
public struct HTTPRequestHead: Sendable, Equatable {
    public var method: String
    /// Path without the query, percent-decoding not applied (routes are plain ASCII).
    public var path: String
    public var query: [String: String]
    public var headers: [String: String]

    /// Limits: the whole head (request line + headers), the request target, header count.
    public static let maxHeadBytes = 16 * 1024
    public static let maxTargetBytes = 2_048
    public static let maxHeaders = 64

    /// Why a request is refused, with the status it gets.
    public enum Failure: Error, Equatable, CustomStringConvertible {
        case malformed(String)
        case headTooLarge
        case targetTooLong
        case bodyNotAccepted
        case timeout

        public var status: HTTPStatus {
            switch self {
            case .malformed: return .badRequest
            case .headTooLarge: return .headerFieldsTooLarge
            case .targetTooLong: return .uriTooLong
            case .bodyNotAccepted: return .payloadTooLarge
            case .timeout: return .requestTimeout
            }
        }

        public var description: String {
            switch self {
            case .malformed(let why): return "malformed request: \(why)"
            case .headTooLarge: return "request head larger than \(HTTPRequestHead.maxHeadBytes) bytes"
            case .targetTooLong: return "request target longer than \(HTTPRequestHead.maxTargetBytes) bytes"
            case .bodyNotAccepted: return "request bodies are not accepted here"
            case .timeout: return "request not received in time"
            }
        }
    }

    /// Parses a complete head (up to and excluding the blank line).
    public static func parse(_ bytes: [UInt8]) -> Result<HTTPRequestHead, Failure> {
        guard bytes.count <= maxHeadBytes else { return .failure(.headTooLarge) }
        // Lines split on bytes: as Characters, "\r\n" is one grapheme and would not split on "\n".
        var lines: [String] = []
        for raw in bytes.split(separator: 0x0A, omittingEmptySubsequences: false) {
            let line = raw.last == 0x0D ? raw.dropLast() : raw[...]
            guard let text = String(validating: line, as: UTF8.self) else { return .failure(.malformed("not UTF-8")) }
            lines.append(text)
        }
        while lines.last?.isEmpty == true { lines.removeLast() }
        guard let requestLine = lines.first else { return .failure(.malformed("empty request")) }
        let parts = requestLine.split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 3 else { return .failure(.malformed("request line is not METHOD TARGET VERSION")) }
        let method = String(parts[0]), target = String(parts[1]), version = String(parts[2])
        guard !method.isEmpty, method.utf8.allSatisfy({ $0 >= 0x41 && $0 <= 0x5A }) else { return .failure(.malformed("bad method")) }
        guard version == "HTTP/1.1" || version == "HTTP/1.0" else { return .failure(.malformed("unsupported version")) }
        guard target.utf8.count <= maxTargetBytes else { return .failure(.targetTooLong) }
        guard target.hasPrefix("/"), target.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            return .failure(.malformed("request target must be an origin-form path"))
        }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard headers.count < maxHeaders else { return .failure(.headTooLarge) }
            guard let colon = line.firstIndex(of: ":"), colon != line.startIndex,
                  !line[..<colon].contains(where: { $0 == " " || $0 == "\t" }) else {
                return .failure(.malformed("bad header line"))
            }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        if headers["transfer-encoding"] != nil { return .failure(.bodyNotAccepted) }
        if let length = headers["content-length"] {
            guard let n = Int(length), n >= 0 else { return .failure(.malformed("bad Content-Length")) }
            if n > 0 { return .failure(.bodyNotAccepted) }
        }
        let (path, query) = splitTarget(target)
        return .success(HTTPRequestHead(method: method, path: path, query: query, headers: headers))
    }

    /// `/a?x=1&y=2` → (`/a`, [x: 1, y: 2]); query values are percent-decoded, `+` is a space.
    static func splitTarget(_ target: String) -> (String, [String: String]) {
        guard let q = target.firstIndex(of: "?") else { return (target, [:]) }
        var query: [String: String] = [:]
        for pair in target[target.index(after: q)...].split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let decode = { (s: Substring) in (String(s).replacingOccurrences(of: "+", with: " ").removingPercentEncoding) ?? String(s) }
            query[decode(kv[0])] = kv.count > 1 ? decode(kv[1]) : ""
        }
        return (String(target[..<q]), query)
    }
}
