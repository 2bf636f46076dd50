import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A test stand-in for systemd's notify socket: a bound `AF_UNIX` datagram socket collecting
/// every message sent to it, in order.
final class NotifySocket: @unchecked Sendable {
    let path: String
    private let fd: Int32
    private let lock = NSLock()
    private var received: [String] = []
    private var reader: Thread?
    private var closed = false

    /// Binds at `path` (a file path, or `@name` for the abstract namespace).
    init(path: String) throws {
        self.path = path
        fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        var bytes = Array(path.utf8)
        if bytes.first == UInt8(ascii: "@") { bytes[0] = 0 }
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes) }
        let length = socklen_t(2 + bytes.count + (bytes.first == 0 ? 0 : 1))
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard result == 0 else { close(fd); throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        var timeout = timeval(tv_sec: 0, tv_usec: 100_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let thread = Thread { [weak self] in self?.readLoop() }
        reader = thread
        thread.start()
    }

    private func readLoop() {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            lock.lock(); let stop = closed; lock.unlock()
            if stop { return }
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n > 0 {
                let text = String(decoding: buffer[0..<n], as: UTF8.self)
                lock.lock(); received.append(text); lock.unlock()
            }
        }
    }

    var messages: [String] { lock.lock(); defer { lock.unlock() }; return received }

    /// Waits (polling briefly) until a message satisfying `predicate` has arrived.
    @discardableResult
    func wait(timeout: TimeInterval = 10, for predicate: (String) -> Bool) -> String? {
        let deadline = Date().addingTimeInterval(timeout)
        repeat {
            if let hit = messages.first(where: predicate) { return hit }
            usleep(20_000)
        } while Date() < deadline
        return nil
    }

    func count(where predicate: (String) -> Bool) -> Int { messages.filter(predicate).count }

    func shutdown() {
        lock.lock(); closed = true; lock.unlock()
        usleep(150_000)
        close(fd)
        if !path.hasPrefix("@") { unlink(path) }
    }
}
