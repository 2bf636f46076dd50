import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A minimal HTTP client over a plain TCP socket to 127.0.0.1, for sending exactly the bytes a
/// test wants (malformed or oversized requests included) and reading whatever comes back.
public enum RawHTTP {
    public struct Response: Sendable {
        public var status: Int?
        public var headers: [String: String]
        public var body: String
        public var raw: Data
    }

    /// Sends `bytes` (in chunks, tolerating the server closing early) and reads until the server closes.
    public static func exchange(port: UInt16, _ bytes: Data, timeout: TimeInterval = 10) throws -> Response {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        defer { close(fd) }
        var tv = timeval(tv_sec: Int(timeout), tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var sa = sockaddr_in()
        sa.sin_family = sa_family_t(AF_INET); sa.sin_port = port.bigEndian
        inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr)
        let ok = withUnsafePointer(to: &sa) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard ok == 0 else { throw POSIXError(.init(rawValue: errno) ?? .ECONNREFUSED) }
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = send(fd, raw.baseAddress! + offset, min(65_536, raw.count - offset), Int32(MSG_NOSIGNAL))
                if n <= 0 { break }  // the server answered early and closed: read its answer
                offset += n
            }
        }
        var data = Data()
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { break }
            data.append(contentsOf: chunk[..<n])
        }
        return parse(data)
    }

    /// `GET path` with the usual headers.
    public static func get(port: UInt16, _ path: String, method: String = "GET") throws -> Response {
        try exchange(port: port, Data("\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: test\r\n\r\n".utf8))
    }

    static func parse(_ data: Data) -> Response {
        let text = String(decoding: data, as: UTF8.self)
        guard let split = text.range(of: "\r\n\r\n") else { return Response(status: nil, headers: [:], body: "", raw: data) }
        let head = text[..<split.lowerBound].components(separatedBy: "\r\n")
        let status = head.first.flatMap { $0.split(separator: " ").dropFirst().first.flatMap { Int($0) } }
        var headers: [String: String] = [:]
        for line in head.dropFirst() {
            if let c = line.firstIndex(of: ":") { headers[line[..<c].lowercased()] = line[line.index(after: c)...].trimmingCharacters(in: .whitespaces) }
        }
        return Response(status: status, headers: headers, body: String(text[split.upperBound...]), raw: data)
    }

    /// A TCP port on 127.0.0.1 that was free a moment ago.
    public static func freePort() throws -> UInt16 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var sa = sockaddr_in()
        sa.sin_family = sa_family_t(AF_INET); sa.sin_port = 0
        inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &sa) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw POSIXError(.init(rawValue: errno) ?? .EADDRINUSE) }
        return UInt16(bigEndian: sa.sin_port)
    }
}

/// Prometheus text exposition (format 0.0.4) parsed strictly enough to catch a broken line.
public struct PrometheusText: Sendable {
    public struct Sample: Sendable { public var name: String; public var labels: [String: String]; public var value: Double }
    public var types: [String: String] = [:]
    public var samples: [Sample] = []

    public enum ParseError: Error, CustomStringConvertible {
        case badLine(Int, String)
        public var description: String { if case .badLine(let n, let l) = self { return "line \(n): \(l)" }; return "" }
    }

    public init(_ text: String) throws {
        let sample = try NSRegularExpression(pattern: #"^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (-?[0-9.eE+-]+|NaN|\+Inf|-Inf)( -?[0-9]+)?$"#)
        let label = try NSRegularExpression(pattern: #"([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)""#)
        for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: true).enumerated() {
            let l = String(line)
            if l.hasPrefix("# TYPE ") {
                let parts = l.split(separator: " ")
                guard parts.count == 4, ["counter", "gauge", "histogram", "summary", "untyped"].contains(parts[3]) else { throw ParseError.badLine(i + 1, l) }
                types[String(parts[2])] = String(parts[3]); continue
            }
            if l.hasPrefix("#") { continue }
            let ns = l as NSString
            guard let m = sample.firstMatch(in: l, range: NSRange(location: 0, length: ns.length)) else { throw ParseError.badLine(i + 1, l) }
            var labels: [String: String] = [:]
            if m.range(at: 3).location != NSNotFound {
                let body = ns.substring(with: m.range(at: 3))
                for lm in label.matches(in: body, range: NSRange(location: 0, length: (body as NSString).length)) {
                    labels[(body as NSString).substring(with: lm.range(at: 1))] = (body as NSString).substring(with: lm.range(at: 2))
                }
            }
            let valueText = ns.substring(with: m.range(at: 4))
            guard let value = Double(valueText.replacingOccurrences(of: "+Inf", with: "inf")) else { throw ParseError.badLine(i + 1, l) }
            samples.append(Sample(name: ns.substring(with: m.range(at: 1)), labels: labels, value: value))
        }
    }

    /// The family a sample belongs to (`x_bucket`, `x_sum`, `x_count` → `x` for histograms).
    public func family(of name: String) -> String {
        for suffix in ["_bucket", "_sum", "_count"] where name.hasSuffix(suffix) {
            let base = String(name.dropLast(suffix.count))
            if types[base] == "histogram" { return base }
        }
        return name
    }

    public func values(_ family: String) -> [Sample] { samples.filter { self.family(of: $0.name) == family } }
}
