import Foundation

/// File writes that never leave a half-written file behind: write a temporary file in the same
/// directory, flush it to disk, then rename it over the target (atomic on POSIX file systems).
public enum AtomicFile {
    public static func write(_ data: Data, to url: URL) throws {
        try write(to: url) { sink in try sink.write(data) }
    }

    /// Streams the content into the temporary file through `produce` (buffered, so memory stays
    /// bounded however large the file is), then flushes and renames it over `url`. When `produce`
    /// throws, the old file stays and the temporary file is removed.
    public static func write(to url: URL, _ produce: (inout StreamSink) throws -> Void) throws {
        let dir = url.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let tmp = dir.appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())")
        let fd = open(tmp.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw POSIXFailure("cannot create \(tmp.path)", errno) }
        var ok = false
        var open = true
        defer { if open { close(fd) }; if !ok { unlink(tmp.path) } }
        var sink = StreamSink(fd: fd, path: tmp.path)
        try produce(&sink)
        try sink.flush()
        if fsync(fd) != 0 { throw POSIXFailure("cannot sync \(tmp.path)", errno) }
        close(fd); open = false
        guard rename(tmp.path, url.path) == 0 else { throw POSIXFailure("cannot rename \(tmp.path) to \(url.path)", errno) }
        ok = true
    }

    /// Writes all of `raw` to `fd`, retrying short writes and EINTR.
    static func writeAll(_ fd: Int32, _ raw: UnsafeRawBufferPointer, path: String) throws {
        var offset = 0
        while offset < raw.count {
            let n = Foundation.write(fd, raw.baseAddress! + offset, raw.count - offset)
            if n < 0 { if errno == EINTR { continue }; throw POSIXFailure("cannot write \(path)", errno) }
            offset += n
        }
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

    /// The last `bytes` bytes of a file (empty when it does not exist). A file that exists but
    /// cannot be read throws: callers use the tail to avoid re-appending, so guessing is unsafe.
    public static func tail(of url: URL, bytes: Int) throws -> Data {
        guard FileManager.default.fileExists(atPath: url.path) else { return Data() }
        let h = try FileHandle(forReadingFrom: url)
        defer { try? h.close() }
        let size = try h.seekToEnd()
        try h.seek(toOffset: size > UInt64(bytes) ? size - UInt64(bytes) : 0)
        return try h.readToEnd() ?? Data()
    }
}

/// The buffered writer `AtomicFile.write(to:_:)` hands to its producer: bytes are collected up
/// to `capacity` and then written out, so a large file never sits whole in memory.
public struct StreamSink {
    /// Bytes collected before a write(2): large enough to keep syscalls few, small enough to be noise.
    public static let capacity = 64 * 1024
    let fd: Int32
    let path: String
    var buffer = Data()

    init(fd: Int32, path: String) { self.fd = fd; self.path = path; buffer.reserveCapacity(Self.capacity) }

    public mutating func write(_ data: Data) throws {
        buffer.append(data)
        if buffer.count >= Self.capacity { try flush() }
    }

    public mutating func write(_ string: String) throws {
        var s = string
        s.withUTF8 { buffer.append($0) }
        if buffer.count >= Self.capacity { try flush() }
    }

    mutating func flush() throws {
        guard !buffer.isEmpty else { return }
        try buffer.withUnsafeBytes { try AtomicFile.writeAll(fd, $0, path: path) }
        buffer.removeAll(keepingCapacity: true)
    }
}

/// A failed system call, with what was being done and `strerror`.
public struct POSIXFailure: Error, CustomStringConvertible {
    public var what: String
    public var code: Int32
    public init(_ what: String, _ code: Int32) { self.what = what; self.code = code }
    public var description: String { "\(what): \(String(cString: strerror(code)))" }
}
