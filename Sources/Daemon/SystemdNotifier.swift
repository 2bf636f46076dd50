import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The sd_notify protocol without libsystemd: one `AF_UNIX` datagram per message to the socket
/// named by `$NOTIFY_SOCKET` (a path, or `@name` for the abstract namespace).
/// Without `$NOTIFY_SOCKET` (not run by systemd) every send is a no-op.
public final class SystemdNotifier: Sendable {
    /// Socket address from `$NOTIFY_SOCKET`; nil when not running under a notify-aware manager.
    public let socketPath: String?
    /// `$WATCHDOG_USEC` in seconds when systemd expects keep-alives from this process.
    public let watchdogInterval: TimeInterval?
    /// The datagram socket, opened at the first send; sends hold this lock.
    private let socketFD = Mutex<Int32>(-1)

    /// Reads the notify socket and watchdog settings from the environment. `unsetEnvironment`
    /// removes them so child processes (the `on_alert` command) do not inherit them, like
    /// `sd_notify(1, …)`.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment, unsetEnvironment: Bool = true) {
        let path = environment["NOTIFY_SOCKET"].flatMap { $0.isEmpty ? nil : $0 }
        socketPath = path
        watchdogInterval = SystemdNotifier.watchdogInterval(environment: environment, pid: getpid())
        if unsetEnvironment {
            unsetenv("NOTIFY_SOCKET"); unsetenv("WATCHDOG_USEC"); unsetenv("WATCHDOG_PID")
        }
    }

    deinit { socketFD.withLock { if $0 >= 0 { close($0) } } }

    /// `$WATCHDOG_USEC` in seconds, unless `$WATCHDOG_PID` names another process.
    static func watchdogInterval(environment: [String: String], pid: pid_t) -> TimeInterval? {
        if let owner = environment["WATCHDOG_PID"], let ownerPID = Int32(owner), ownerPID != pid { return nil }
        guard let text = environment["WATCHDOG_USEC"], let usec = UInt64(text), usec > 0 else { return nil }
        return TimeInterval(usec) / 1_000_000
    }

    public var isEnabled: Bool { socketPath != nil }

    /// Sends one state string (`READY=1`, `STATUS=…`, several joined by newlines). Returns false
    /// when there is no socket or the send failed; the daemon never fails because of it.
    @discardableResult
    public func send(_ state: String) -> Bool {
        guard let path = socketPath else { return false }
        return socketFD.withLock { fd in
            if fd < 0 {
                fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
                if fd < 0 { return false }
            }
            return Self.send(state, to: path, fd: fd)
        }
    }

    private static func send(_ state: String, to path: String, fd: Int32) -> Bool {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        var bytes = Array(path.utf8)
        if bytes.first == UInt8(ascii: "@") { bytes[0] = 0 }  // abstract namespace
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard bytes.count < capacity || (bytes.first == 0 && bytes.count <= capacity) else { return false }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
        }
        // Abstract addresses are exactly as long as the name; paths include the terminating NUL.
        let pathOffset = MemoryLayout<sockaddr_un>.offset(of: \sockaddr_un.sun_path) ?? 2
        let length = socklen_t(pathOffset + bytes.count + (bytes.first == 0 ? 0 : 1))
        let payload = Array(state.utf8)
        let sent = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa in
                payload.withUnsafeBytes { buffer in
                    sendto(fd, buffer.baseAddress, buffer.count, Int32(MSG_NOSIGNAL), sa, length)
                }
            }
        }
        return sent == payload.count
    }

    public func ready(status: String) { send("READY=1\nSTATUS=\(status)") }
    public func status(_ text: String) { send("STATUS=\(text)") }
    /// `RELOADING=1` with the monotonic timestamp systemd (≥ 253) wants alongside it.
    public func reloading() { send("RELOADING=1\nMONOTONIC_USEC=\(SystemdNotifier.monotonicMicroseconds())") }
    public func stopping() { send("STOPPING=1") }
    public func watchdog() { send("WATCHDOG=1") }

    static func monotonicMicroseconds() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000 + UInt64(ts.tv_nsec) / 1_000
    }
}
