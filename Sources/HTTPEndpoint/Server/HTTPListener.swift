import Foundation
#if canImport(Glibc)
import Glibc
#endif
import DyadConfig

/// A small HTTP/1.1 server for read-only pages, on its own threads so nothing it does can hold
/// up the scheduler, the pollers or the watchdog: one accept thread, one short-lived thread per
/// connection (at most `maxConnections`; more are answered 503 at once), one request per
/// connection, fixed limits on size and time. Every malformed, oversized or slow request gets a
/// 4xx answer and the connection is closed.
///
/// (A package server was tried first: FlyingFox 0.27.1 closes the connection on a malformed
/// request instead of answering 400, and reads request lines and bodies without a size limit.)
public final class HTTPListener: @unchecked Sendable {
    public typealias Handler = @Sendable (HTTPRequestHead) -> HTTPResponse

    public static let maxConnections = 8
    /// Per-read timeout and the deadline for a whole request head.
    public static let readTimeout: TimeInterval = 5
    public static let requestDeadline: TimeInterval = 10
    public static let writeTimeout: TimeInterval = 10

    public let address: HTTPConfig.ListenAddress
    private let fd: Int32
    private let handler: Handler
    private let onError: @Sendable (String) -> Void
    private let lock = NSLock()
    private var active = 0
    private var closed = false

    /// Binds and listens (throws with the reason when the address cannot be used), then accepts
    /// on a background thread.
    public init(address: HTTPConfig.ListenAddress, handler: @escaping Handler, onError: @escaping @Sendable (String) -> Void) throws {
        self.handler = handler; self.onError = onError
        let family = address.isIPv6 ? AF_INET6 : AF_INET
        let fd = socket(family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw ListenFailure("socket", errno) }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var bound: Int32
        if address.isIPv6 {
            var sa = sockaddr_in6()
            sa.sin6_family = sa_family_t(AF_INET6); sa.sin6_port = address.port.bigEndian
            inet_pton(AF_INET6, address.host, &sa.sin6_addr)
            bound = withUnsafePointer(to: &sa) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) } }
        } else {
            var sa = sockaddr_in()
            sa.sin_family = sa_family_t(AF_INET); sa.sin_port = address.port.bigEndian
            inet_pton(AF_INET, address.host, &sa.sin_addr)
            bound = withUnsafePointer(to: &sa) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        }
        guard bound == 0 else { let e = errno; close(fd); throw ListenFailure("bind \(address)", e) }
        guard listen(fd, 64) == 0 else { let e = errno; close(fd); throw ListenFailure("listen \(address)", e) }
        self.fd = fd
        var actual = address
        if address.port == 0 { actual.port = Self.localPort(fd) ?? 0 }  // port 0: the kernel picked one
        self.address = actual
        let thread = Thread { [weak self] in self?.acceptLoop() }
        thread.name = "dyadwatch.http.accept"
        thread.start()
    }

    /// Stops accepting (connections being served finish on their own).
    public func stop() {
        lock.lock(); let wasClosed = closed; closed = true; lock.unlock()
        if !wasClosed { shutdown(fd, Int32(SHUT_RDWR)); close(fd) }
    }

    private var isClosed: Bool { lock.lock(); defer { lock.unlock() }; return closed }

    private func acceptLoop() {
        while !isClosed {
            let client = accept(fd, nil, nil)
            if client < 0 {
                if errno == EINTR || errno == ECONNABORTED { continue }
                if isClosed { return }
                onError("http: accept failed: \(String(cString: strerror(errno)))")
                usleep(100_000)  // e.g. EMFILE: do not spin
                continue
            }
            _ = fcntl(client, F_SETFD, FD_CLOEXEC)  // never inherited by on_alert children
            lock.lock()
            let admitted = active < Self.maxConnections
            if admitted { active += 1 }
            lock.unlock()
            guard admitted else {
                Self.send(client, HTTPResponse.text(.serviceUnavailable, "too many connections").serialized(head: false))
                close(client)
                continue
            }
            let thread = Thread { [self] in
                serve(client)
                close(client)
                lock.lock(); active -= 1; lock.unlock()
            }
            thread.name = "dyadwatch.http.conn"
            thread.start()
        }
    }

    private func serve(_ client: Int32) {
        Self.setTimeout(client, SO_RCVTIMEO, Self.readTimeout)
        Self.setTimeout(client, SO_SNDTIMEO, Self.writeTimeout)
        let head: Result<HTTPRequestHead, HTTPRequestHead.Failure>
        switch Self.readHead(client) {
        case .success(nil): return  // the client closed without a request
        case .success(let bytes?): head = HTTPRequestHead.parse(bytes)
        case .failure(let f): head = .failure(f)
        }
        switch head {
        case .failure(let f):
            Self.send(client, HTTPResponse.text(f.status, f.description).serialized(head: false))
            Self.drain(client)
        case .success(let request):
            let response = handler(request)
            Self.send(client, response.serialized(head: request.method == "HEAD"))
        }
        shutdown(client, Int32(SHUT_WR))
    }

    /// Bytes up to the blank line ending the head; nil when the peer closed before sending anything.
    static func readHead(_ client: Int32) -> Result<[UInt8]?, HTTPRequestHead.Failure> {
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4_096)
        let deadline = Date().addingTimeInterval(requestDeadline)
        while true {
            if let end = headEnd(buffer) { return .success(Array(buffer[..<end])) }
            if buffer.count > HTTPRequestHead.maxHeadBytes { return .failure(.headTooLarge) }
            if Date() > deadline { return .failure(.timeout) }
            let n = chunk.withUnsafeMutableBytes { recv(client, $0.baseAddress, $0.count, 0) }
            if n == 0 { return buffer.isEmpty ? .success(nil) : .failure(.malformed("connection closed mid-request")) }
            if n < 0 {
                if errno == EINTR { continue }
                if errno == EAGAIN || errno == EWOULDBLOCK { return .failure(.timeout) }
                return .success(nil)
            }
            buffer.append(contentsOf: chunk[..<n])
        }
    }

    /// After an early answer, reads (and drops) what the client is still sending for a moment, so
    /// closing does not reset the connection before the client has read the answer.
    static func drain(_ client: Int32) {
        shutdown(client, Int32(SHUT_WR))
        setTimeout(client, SO_RCVTIMEO, 0.2)
        var chunk = [UInt8](repeating: 0, count: 16_384)
        var total = 0
        while total < 4 * 1024 * 1024 {
            let n = chunk.withUnsafeMutableBytes { recv(client, $0.baseAddress, $0.count, 0) }
            if n <= 0 { return }
            total += n
        }
    }

    /// Index of the blank line ending the head (`\r\n\r\n` or a bare `\n\n`).
    static func headEnd(_ b: [UInt8]) -> Int? {
        guard b.count >= 2 else { return nil }
        for i in 1..<b.count where b[i] == 0x0A {
            if b[i - 1] == 0x0A { return i - 1 }
            if i >= 3, b[i - 1] == 0x0D, b[i - 2] == 0x0A, b[i - 3] == 0x0D { return i - 3 }
        }
        return nil
    }

    static func send(_ client: Int32, _ data: Data) {
        data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = Glibc.send(client, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
                if n < 0 { if errno == EINTR { continue }; return }
                offset += n
            }
        }
    }

    static func localPort(_ fd: Int32) -> UInt16? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let ok = withUnsafeMutablePointer(to: &storage) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        guard ok == 0 else { return nil }
        let family = Int32(storage.ss_family)
        return withUnsafePointer(to: &storage) { p -> UInt16 in
            if family == AF_INET6 {
                return p.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { UInt16(bigEndian: $0.pointee.sin6_port) }
            }
            return p.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { UInt16(bigEndian: $0.pointee.sin_port) }
        }
    }

    static func setTimeout(_ fd: Int32, _ option: Int32, _ seconds: TimeInterval) {
        var tv = timeval(tv_sec: Int(seconds), tv_usec: Int((seconds - seconds.rounded(.down)) * 1e6))
        setsockopt(fd, SOL_SOCKET, option, &tv, socklen_t(MemoryLayout<timeval>.size))
    }
}

/// A socket call that failed while setting up the listener.
public struct ListenFailure: Error, CustomStringConvertible {
    public var what: String
    public var code: Int32
    init(_ what: String, _ code: Int32) { self.what = what; self.code = code }
    public var description: String { "\(what): \(String(cString: strerror(code)))" }
}
