import Foundation

/// File writes that never leave a half-written file behind: write a temporary file in the same
/// directory, flush it to disk, then rename it over the target (atomic on POSIX file systems).
public enum AtomicFile {
    public static func write(_ data: Data, to url: URL) throws {
        let dir = url.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let tmp = dir.appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())")
        let fd = open(tmp.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw POSIXFailure("cannot create \(tmp.path)", errno) }
        var ok = false
        defer { if !ok { unlink(tmp.path) } }
        try data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = Foundation.write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 { if errno == EINTR { continue }; let e = errno; close(fd); throw POSIXFailure("cannot write \(tmp.path)", e) }
                offset += n
            }
        }
        if fsync(fd) != 0 { let e = errno; close(fd); throw POSIXFailure("cannot sync \(tmp.path)", e) }
        close(fd)
        guard rename(tmp.path, url.path) == 0 else { throw POSIXFailure("cannot rename \(tmp.path) to \(url.path)", errno) }
        ok = true
    }

    /// Appends one chunk with O_APPEND and flushes it; the chunk is one write() so concurrent
    /// readers (`tail -f`) never see a partial line from a successful append.
    public static func append(_ data: Data, to url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let fd = open(url.path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw POSIXFailure("cannot open \(url.path)", errno) }
        defer { close(fd) }
        try data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = Foundation.write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 { if errno == EINTR { continue }; throw POSIXFailure("cannot append to \(url.path)", errno) }
                offset += n
            }
        }
        if fsync(fd) != 0 { throw POSIXFailure("cannot sync \(url.path)", errno) }
    }

    /// The last `bytes` bytes of a file (empty when it does not exist).
    public static func tail(of url: URL, bytes: Int) -> Data {
        guard let h = try? FileHandle(forReadingFrom: url) else { return Data() }
        defer { try? h.close() }
        let size = (try? h.seekToEnd()) ?? 0
        let start = size > UInt64(bytes) ? size - UInt64(bytes) : 0
        try? h.seek(toOffset: start)
        return (try? h.readToEnd()) ?? Data()
    }
}

/// A failed system call, with what was being done and `strerror`.
public struct POSIXFailure: Error, CustomStringConvertible {
    public var what: String
    public var code: Int32
    public init(_ what: String, _ code: Int32) { self.what = what; self.code = code }
    public var description: String { "\(what): \(String(cString: strerror(code)))" }
}
