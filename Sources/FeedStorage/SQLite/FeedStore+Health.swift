import Foundation
#if canImport(Glibc)
import Glibc
#endif

// Whether the daemon could write its SQLite file now, and how big it is (`/healthz`, `/metrics`),
// judged from outside without opening it for writing.

extension FeedStore {
    /// Nil when a write would work; else the one-line reason: the file (and its WAL) cannot be
    /// opened for writing, the directory refuses new files (journal, -shm), or the file system is full.
    public static func writeProblem(path databasePath: String) -> String? {
        for path in [databasePath, databasePath + "-wal"] where FileManager.default.fileExists(atPath: path) {
            let fd = Glibc.open(path, O_RDWR | O_CLOEXEC)
            if fd < 0 { return "state database not writable: \(path): \(String(cString: strerror(errno)))" }
            close(fd)
        }
        let directory = (databasePath as NSString).deletingLastPathComponent
        if access(directory, W_OK) != 0 { return "state directory not writable: \(directory): \(String(cString: strerror(errno)))" }
        var fs = statvfs()
        if statvfs(directory, &fs) == 0, fs.f_bavail == 0 { return "no space left on the file system of \(directory)" }
        return nil
    }

    /// Bytes of the database file and its WAL (0 when there is none yet).
    public static func databaseBytes(path: String) -> Int64 {
        var total: Int64 = 0
        for suffix in ["", "-wal"] {
            if let size = (try? FileManager.default.attributesOfItem(atPath: path + suffix))?[.size] as? NSNumber {
                total += size.int64Value
            }
        }
        return total
    }
}
