import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A tiny HTTP/1.1 server on 127.0.0.1 (ephemeral port) serving feed documents the test sets,
/// with ETag/304 and an optional delay per path (to catch the daemon in the middle of a poll).
/// One thread accepts; each connection is answered on its own thread and closed.
final class LoopbackFeedServer: @unchecked Sendable {
    struct Route { var body: String; var delay: TimeInterval = 0; var status: Int = 200 }
    private let lock = NSLock()
    private var routes: [String: Route] = [:]
    private var hits: [String: Int] = [:]
    private let listener: Int32
    private(set) var port: UInt16 = 0
    private var running = true

    init() throws {
        listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var yes: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(listener, 64) == 0 else { close(listener); throw POSIXError(.EADDRINUSE) }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        port = UInt16(bigEndian: address.sin_port)
        let thread = Thread { [weak self] in self?.acceptLoop() }
        thread.start()
    }

    func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }
    func set(_ path: String, _ route: Route) { lock.lock(); routes[path] = route; lock.unlock() }
    func set(_ path: String, body: String) { set(path, Route(body: body)) }
    func hitCount(_ path: String) -> Int { lock.lock(); defer { lock.unlock() }; return hits[path, default: 0] }

    func stop() {
        lock.lock(); running = false; lock.unlock()
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 {
                lock.lock(); let stillRunning = running; lock.unlock()
                if !stillRunning { return }
                continue
            }
            let thread = Thread { [weak self] in self?.serve(client) }
            thread.start()
        }
    }

    private func serve(_ fd: Int32) {
        defer { close(fd) }
        var request = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !request.containsHeaderEnd {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { return }
            request.append(contentsOf: buffer[0..<n])
            if request.count > 65_536 { return }
        }
        let text = String(decoding: request, as: UTF8.self)
        let lines = text.components(separatedBy: "\r\n")
        let parts = lines.first?.split(separator: " ") ?? []
        let path = parts.count > 1 ? String(parts[1]) : "/"
        let ifNoneMatch = lines.first { $0.lowercased().hasPrefix("if-none-match:") }
            .map { String($0.dropFirst("if-none-match:".count)).trimmingCharacters(in: .whitespaces) }
        lock.lock()
        hits[path, default: 0] += 1
        let route = routes[path]
        lock.unlock()
        guard let route else { return respond(fd, status: 404, headers: [:], body: "not found") }
        if route.delay > 0 { usleep(useconds_t(route.delay * 1_000_000)) }
        let etag = "\"\(String(UInt64(bitPattern: Int64(route.body.hashValue)), radix: 16))\""
        if ifNoneMatch == etag { return respond(fd, status: 304, headers: ["ETag": etag], body: "") }
        respond(fd, status: route.status, headers: ["ETag": etag, "Content-Type": "application/rss+xml; charset=utf-8"], body: route.body)
    }

    private func respond(_ fd: Int32, status: Int, headers: [String: String], body: String) {
        let reason = [200: "OK", 304: "Not Modified", 404: "Not Found", 500: "Internal Server Error"][status] ?? "Status"
        var head = "HTTP/1.1 \(status) \(reason)\r\nConnection: close\r\nContent-Length: \(body.utf8.count)\r\n"
        for (key, value) in headers { head += "\(key): \(value)\r\n" }
        let bytes = Array((head + "\r\n" + body).utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { send(fd, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return }
            offset += n
        }
    }
}

private extension Array where Element == UInt8 {
    var containsHeaderEnd: Bool {
        guard count >= 4 else { return false }
        for i in 0...(count - 4) where self[i] == 13 && self[i + 1] == 10 && self[i + 2] == 13 && self[i + 3] == 10 { return true }
        return false
    }
}

/// RSS 2.0 documents for the tests: items with stable GUIDs, some about China and Russia.
enum TestFeeds {
    static func rss(title: String, items: [(guid: String, title: String, text: String)]) -> String {
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel><title>\(title)</title><link>http://127.0.0.1/</link><description>test</description>"
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        for (index, item) in items.enumerated() {
            // Recent dates (an hour apart), so feeds are never stale.
            let date = formatter.string(from: Date().addingTimeInterval(-3600 * Double(index + 1)))
            xml += "<item><title>\(item.title)</title><link>http://127.0.0.1/a/\(item.guid)</link><guid isPermaLink=\"false\">\(item.guid)</guid><pubDate>\(date)</pubDate><description>\(item.text)</description></item>"
        }
        return xml + "</channel></rss>"
    }

    static func dyadItems(_ prefix: String, count: Int) -> [(guid: String, title: String, text: String)] {
        (0..<count).map { i in
            ("\(prefix)-\(i)", "Xi and Putin deepen China-Russia partnership, item \(i) of \(prefix)",
             "Chinese President Xi Jinping and Russian President Vladimir Putin met in Moscow and pledged closer ties between Beijing and Moscow.")
        }
    }
}
