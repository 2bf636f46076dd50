import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An exclusive `flock` on `<state_dir>/daemon.lock`, held for the life of the process, so two
/// daemons never poll into one state database (one-shot `poll --once` runs may still share it).
/// The kernel drops the lock when the process dies, so a crash never leaves it stale.
final class StateDirectoryLock: Sendable {
    static let fileName = "daemon.lock"
    private let fd: Int32

    struct Held: Error, CustomStringConvertible {
        var path: String
        var owner: String
        var description: String { "another dyadwatch daemon\(owner.isEmpty ? "" : " (pid \(owner))") already uses \(path)" }
    }

    init(directory: URL) throws {
        let path = directory.appendingPathComponent(Self.fileName).path
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            var buffer = [UInt8](repeating: 0, count: 32)
            let n = read(fd, &buffer, buffer.count)
            close(fd)
            throw Held(path: directory.path, owner: n > 0 ? String(decoding: buffer[0..<n], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) : "")
        }
        ftruncate(fd, 0)
        let pid = Array("\(getpid())\n".utf8)
        _ = pid.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
    }

    deinit { close(fd) }
}
