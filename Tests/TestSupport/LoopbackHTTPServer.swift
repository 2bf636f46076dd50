import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An HTTP/1.1 server on 127.0.0.1 or another loopback address (a free port) for tests, run in-process on plain sockets.
/// Each request is answered by a scriptable `LoopbackResponse` (status, headers, body,
/// redirects, gzip, a slow drip, an abrupt close) and then the connection is closed.
/// Every request received is recorded for assertions (validators sent, User-Agent, …).
public final class LoopbackHTTPServer: @unchecked Sendable {
    public typealias Handler = @Sendable (LoopbackRequest) -> LoopbackResponse

    public let port: Int
    private let listener: Int32
    private let handler: Handler
    private let lock = NSLock()
    private var recorded: [LoopbackRequest] = []
    private var stopped = false
    /// Longest the server waits for a request head before dropping the connection.
    static let readTimeoutSeconds = 5
    /// Largest request head accepted (tests send small GETs).
    static let maxRequestHead = 64 * 1024

    /// Address the server listens on: always in 127.0.0.0/8 (loopback).
    public let address: String

    /// Starts listening at once on `address` (a loopback address; 127.0.0.2 … act as other hosts);
    /// `handler` answers every request (on a connection thread).
    public init(address: String = "127.0.0.1", handler: @escaping Handler) throws {
        precondition(address.hasPrefix("127."), "the loopback test server binds loopback addresses only")
        self.handler = handler
        self.address = address
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw LoopbackError.socket("socket: errno \(errno)") }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var socketAddress = sockaddr_in()
        socketAddress.sin_family = sa_family_t(AF_INET)
        socketAddress.sin_port = 0
        socketAddress.sin_addr.s_addr = inet_addr(address)
        let bound = withUnsafePointer(to: &socketAddress) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 128) == 0 else { close(fd); throw LoopbackError.socket("bind/listen: errno \(errno)") }
        var actual = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        port = Int(UInt16(bigEndian: actual.sin_port))
        listener = fd
        let thread = Thread { [self] in acceptLoop() }
        thread.name = "loopback-http-accept"
        thread.start()
    }

    /// A server answering by exact path (query included); unknown paths get 404.
    public convenience init(routes: [String: LoopbackResponse]) throws {
        try self.init { request in routes[request.path] ?? .status(404) }
    }

    deinit { stop() }

    public var baseURL: String { "http://\(address):\(port)" }
    public func url(_ path: String) -> String { baseURL + (path.hasPrefix("/") ? path : "/" + path) }

    /// Requests received so far, in arrival order.
    public var requests: [LoopbackRequest] { lock.lock(); defer { lock.unlock() }; return recorded }
    public func requests(to path: String) -> [LoopbackRequest] { requests.filter { $0.path == path } }

    /// Stops accepting; connections in progress (drips) end at their next write.
    public func stop() {
        lock.lock()
        let wasStopped = stopped
        stopped = true
        lock.unlock()
        if !wasStopped { shutdown(listener, Int32(SHUT_RDWR)); close(listener) }
    }

    private var isStopped: Bool { lock.lock(); defer { lock.unlock() }; return stopped }

    private func acceptLoop() {
        while !isStopped {
            let client = accept(listener, nil, nil)
            if client < 0 {
                if errno == EINTR { continue }
                return
            }
            let thread = Thread { [self] in serve(client) }
            thread.name = "loopback-http-connection"
            thread.start()
        }
    }

    private func serve(_ fd: Int32) {
        defer { close(fd) }
        var timeout = timeval(tv_sec: LoopbackHTTPServer.readTimeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        guard let request = readRequest(fd) else { return }
        lock.lock(); recorded.append(request); lock.unlock()
        let response = handler(request)
        write(response, to: fd, method: request.method)
    }

    private func readRequest(_ fd: Int32) -> LoopbackRequest? {
        var buffer = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 4096)
        let terminator: [UInt8] = [13, 10, 13, 10]
        while buffer.count < LoopbackHTTPServer.maxRequestHead {
            let n = recv(fd, &chunk, chunk.count, 0)
            if n <= 0 { return nil }
            buffer += chunk[0..<n]
            if let end = buffer.firstRange(of: terminator) {
                return LoopbackRequest(head: String(decoding: buffer[..<end.lowerBound], as: UTF8.self))
            }
        }
        return nil
    }

    private func write(_ response: LoopbackResponse, to fd: Int32, method: String) {
        switch response.kind {
        case .closeImmediately:
            return
        case let .send(status, headers, body, declaredLength, cutAfter):
            var head = "HTTP/1.1 \(status) \(LoopbackResponse.reason(status))\r\n"
            var hasLength = false
            for (name, value) in headers {
                head += "\(name): \(value)\r\n"
                if name.lowercased() == "content-length" { hasLength = true }
            }
            // declaredLength < 0: no Content-Length at all, the body ends when the connection closes.
            if !hasLength, (declaredLength ?? 0) >= 0 { head += "Content-Length: \(declaredLength ?? body.count)\r\n" }
            head += "Connection: close\r\n\r\n"
            guard sendAll(fd, Array(head.utf8)) else { return }
            if method == "HEAD" { return }
            let payload = cutAfter.map { Array(body.prefix($0)) } ?? body
            _ = sendAll(fd, payload)
        case let .drip(status, headers, body, chunkSize, interval):
            var head = "HTTP/1.1 \(status) \(LoopbackResponse.reason(status))\r\n"
            for (name, value) in headers { head += "\(name): \(value)\r\n" }
            head += "Content-Length: \(body.count)\r\nConnection: close\r\n\r\n"
            guard sendAll(fd, Array(head.utf8)) else { return }
            var offset = 0
            while offset < body.count, !isStopped {
                let end = min(body.count, offset + chunkSize)
                guard sendAll(fd, Array(body[offset..<end])) else { return }
                offset = end
                Thread.sleep(forTimeInterval: interval)
            }
        }
    }

    private func sendAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBufferPointer { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return false }
            offset += n
        }
        return true
    }
}

public enum LoopbackError: Error { case socket(String) }

/// A request as the loopback server saw it. Header names are lower-cased.
public struct LoopbackRequest: Sendable {
    public var method: String
    /// Path and query, as sent.
    public var path: String
    public var headers: [String: String]

    init(head: String) {
        let lines = head.components(separatedBy: "\r\n")
        let parts = (lines.first ?? "").split(separator: " ")
        method = parts.count > 0 ? String(parts[0]) : ""
        path = parts.count > 1 ? String(parts[1]) : ""
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        self.headers = headers
    }
}

/// What the loopback server does with a request.
public struct LoopbackResponse: Sendable {
    enum Kind: Sendable {
        /// Status, headers, body; `declaredLength` overrides Content-Length; `cutAfter` closes the
        /// connection after that many body bytes (an abrupt close mid-body).
        case send(status: Int, headers: [(String, String)], body: [UInt8], declaredLength: Int?, cutAfter: Int?)
        /// Body sent `chunkSize` bytes at a time, `interval` seconds apart.
        case drip(status: Int, headers: [(String, String)], body: [UInt8], chunkSize: Int, interval: TimeInterval)
        /// Accept the connection, read the request, close without a byte of response.
        case closeImmediately
    }
    let kind: Kind

    public static func send(status: Int, headers: [(String, String)] = [], body: [UInt8] = []) -> LoopbackResponse {
        LoopbackResponse(kind: .send(status: status, headers: headers, body: body, declaredLength: nil, cutAfter: nil))
    }

    public static func ok(_ body: String, contentType: String = "application/rss+xml; charset=utf-8",
                          headers: [(String, String)] = []) -> LoopbackResponse {
        send(status: 200, headers: [("Content-Type", contentType)] + headers, body: Array(body.utf8))
    }

    public static func status(_ status: Int, headers: [(String, String)] = [], body: String = "") -> LoopbackResponse {
        send(status: status, headers: headers, body: Array(body.utf8))
    }

    public static func redirect(_ status: Int, to location: String) -> LoopbackResponse {
        send(status: status, headers: [("Location", location)])
    }

    /// `body` gzip-encoded with `Content-Encoding: gzip`.
    public static func gzip(_ body: String, contentType: String = "application/rss+xml; charset=utf-8") -> LoopbackResponse {
        send(status: 200, headers: [("Content-Type", contentType), ("Content-Encoding", "gzip")], body: Gzip.gzip(Array(body.utf8)))
    }

    /// Already-encoded bytes sent with `Content-Encoding: encoding`.
    public static func encoded(_ bytes: [UInt8], encoding: String, contentType: String = "application/rss+xml") -> LoopbackResponse {
        send(status: 200, headers: [("Content-Type", contentType), ("Content-Encoding", encoding)], body: bytes)
    }

    public static func drip(_ body: String, chunkSize: Int, interval: TimeInterval,
                            contentType: String = "application/rss+xml") -> LoopbackResponse {
        LoopbackResponse(kind: .drip(status: 200, headers: [("Content-Type", contentType)], body: Array(body.utf8),
                                     chunkSize: chunkSize, interval: interval))
    }

    /// Headers promising `declaredLength` bytes, then only `sentBytes` of `body` and a close.
    public static func truncated(_ body: String, sentBytes: Int) -> LoopbackResponse {
        let bytes = Array(body.utf8)
        return LoopbackResponse(kind: .send(status: 200, headers: [("Content-Type", "application/rss+xml")], body: bytes,
                                            declaredLength: bytes.count, cutAfter: sentBytes))
    }

    /// A body with no Content-Length: its end is the connection closing, so only streaming caps apply.
    public static func unsized(_ bytes: [UInt8], contentType: String = "application/rss+xml") -> LoopbackResponse {
        LoopbackResponse(kind: .send(status: 200, headers: [("Content-Type", contentType)], body: bytes,
                                     declaredLength: -1, cutAfter: nil))
    }

    public static let closeImmediately = LoopbackResponse(kind: .closeImmediately)

    static func reason(_ status: Int) -> String {
        switch status {
        case 200: return "OK"
        case 301: return "Moved Permanently"
        case 302: return "Found"
        case 303: return "See Other"
        case 304: return "Not Modified"
        case 307: return "Temporary Redirect"
        case 308: return "Permanent Redirect"
        case 404: return "Not Found"
        case 410: return "Gone"
        case 429: return "Too Many Requests"
        case 500: return "Internal Server Error"
        case 503: return "Service Unavailable"
        default: return "Status"
        }
    }
}

/// A port on 127.0.0.1 that refuses connections: bound, then closed before use.
public enum RefusedPort {
    public static func make() throws -> Int {
        let server = try LoopbackHTTPServer { _ in .closeImmediately }
        let port = server.port
        server.stop()
        return port
    }
}

/// Responses by path that a test can change between polls; unknown paths get 404.
/// `handler` plugs it into a `LoopbackHTTPServer`.
public final class RouteTable: @unchecked Sendable {
    private let lock = NSLock()
    private var routes: [String: @Sendable (LoopbackRequest) -> LoopbackResponse] = [:]

    public init() {}

    public func set(_ path: String, _ response: LoopbackResponse) {
        lock.lock(); routes[path] = { _ in response }; lock.unlock()
    }

    /// A response computed per request (e.g. 304 when the right validator is sent).
    public func set(_ path: String, _ respond: @escaping @Sendable (LoopbackRequest) -> LoopbackResponse) {
        lock.lock(); routes[path] = respond; lock.unlock()
    }

    public var handler: LoopbackHTTPServer.Handler {
        { [self] request in
            lock.lock(); let route = routes[request.path]; lock.unlock()
            return route?(request) ?? .status(404)
        }
    }
}

/// Builds small RSS 2.0 documents for tests.
public enum RSSFixture {
    public struct Item: Sendable {
        public var guid: String?
        public var title: String
        public var link: String?
        public var published: Date?
        public var description: String
        public init(guid: String? = nil, title: String, link: String? = nil, published: Date? = nil, description: String = "") {
            self.guid = guid; self.title = title; self.link = link; self.published = published; self.description = description
        }
    }

    public static func document(title: String = "Test feed", ttlMinutes: Int? = nil, items: [Item]) -> String {
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel><title>\(escape(title))</title><link>https://example.org/</link>"
        if let ttlMinutes { xml += "<ttl>\(ttlMinutes)</ttl>" }
        for item in items {
            xml += "<item>"
            if let guid = item.guid { xml += "<guid isPermaLink=\"false\">\(escape(guid))</guid>" }
            xml += "<title>\(escape(item.title))</title>"
            if let link = item.link { xml += "<link>\(escape(link))</link>" }
            if let date = item.published { xml += "<pubDate>\(rfc822(date))</pubDate>" }
            xml += "<description>\(escape(item.description))</description></item>"
        }
        return xml + "</channel></rss>\n"
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

    public static func rfc822(_ date: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "GMT")
        f.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return f.string(from: date)
    }
}
