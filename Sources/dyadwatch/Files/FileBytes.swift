import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Whole-file reads and stdout writes with plain POSIX calls: straight into and out of byte
/// arrays, without the intermediate `Data` copies Foundation's file APIs make.
enum FileBytes {
    /// Read size when the file's size is unknown (pipes, /proc) or it grows while read.
    private static let readChunk = 64 * 1024

    /// The contents of the file at `path`; throws `POSIXError` (ENOENT, EACCES, EISDIR, …).
    static func read(_ path: String) throws -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        defer { close(fd) }
        var st = stat()
        let sizeHint = fstat(fd, &st) == 0 && st.st_size > 0 ? Int(st.st_size) : 0
        // One byte beyond the size, so that the read meeting end-of-file needs no growth.
        var bytes = [UInt8](repeating: 0, count: sizeHint > 0 ? sizeHint + 1 : readChunk)
        var filled = 0
        while true {
            if filled == bytes.count { bytes.append(contentsOf: repeatElement(0, count: readChunk)) }
            let n = bytes.withUnsafeMutableBytes { buf in
                Glibc.read(fd, buf.baseAddress! + filled, buf.count - filled)
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
            }
            if n == 0 { break }
            filled += n
        }
        bytes.removeSubrange(filled...)
        return bytes
    }

    /// Writes all of `bytes` to standard output.
    static func writeStandardOutput(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { buf in
            var done = 0
            while done < buf.count {
                let n = write(STDOUT_FILENO, buf.baseAddress! + done, buf.count - done)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
                }
                done += n
            }
        }
    }
}
