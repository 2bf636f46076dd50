import ArticleExtraction
import Foundation

/// The file loop of the commands that take many input files (`parse`, `extract`): files are read
/// and rendered a window at a time on all cores, output goes to stdout in input order, and a file
/// that cannot be read still gets its own output, made from the reason.
enum FileBatch {
    /// Output is flushed to stdout in chunks of about this many bytes.
    static let flushThreshold = 256 * 1024

    /// Runs `render` over the contents of every file (read by `read`), or `unreadable` with the
    /// reason when reading failed; writes the outputs in order. Returns how many were unreadable.
    static func run(_ files: [String], window: Int,
                    read: @escaping @Sendable (String) throws -> [UInt8] = FileBytes.read,
                    render: @escaping @Sendable (_ file: String, _ contents: [UInt8]) -> [UInt8],
                    unreadable: @escaping @Sendable (_ file: String, _ reason: String) -> [UInt8]) throws -> Int {
        var out: [UInt8] = []
        var failures = 0
        var start = 0
        while start < files.count {
            let chunk = Array(files[start..<min(start + max(1, window), files.count)])
            let rendered = ParallelMap.map(chunk) { file -> (bytes: [UInt8], readable: Bool) in
                do { return (render(file, try read(file)), true) } catch {
                    return (unreadable(file, describe(error, path: file)), false)
                }
            }
            for r in rendered {
                out.append(contentsOf: r.bytes)
                if !r.readable { failures += 1 }
            }
            if out.count >= flushThreshold { try FileBytes.writeStandardOutput(out); out.removeAll(keepingCapacity: true) }
            start += chunk.count
        }
        try FileBytes.writeStandardOutput(out)
        return failures
    }

    /// Why a file could not be read, in the words of `ls`/`cat` rather than Foundation's.
    static func describe(_ error: Error, path: String) -> String {
        if let g = error as? GzipFile.Failure { return g.description }
        var isDirectory: ObjCBool = false
        let fm = FileManager.default
        if !fm.fileExists(atPath: path, isDirectory: &isDirectory) { return "no such file" }
        if isDirectory.boolValue { return "is a directory" }
        if !fm.isReadableFile(atPath: path) { return "permission denied" }
        return (error as NSError).localizedDescription
    }
}
