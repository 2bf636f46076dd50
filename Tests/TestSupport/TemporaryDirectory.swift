import Foundation

/// A fresh directory under the system temp dir, removed by `remove()`; tests keep state here.
public struct TemporaryDirectory: Sendable {
    public let url: URL
    public init(prefix: String = "dyadwatch-test") throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    public func remove() { try? FileManager.default.removeItem(at: url) }
}

/// `../shared` relative to the repository root, when present (CI and developer machines; not a
/// user's fresh clone). Tests that need it skip visibly when it is nil.
public enum SharedData {
    public static var root: URL? {
        var dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent() // Tests/TestSupport
        dir = dir.deletingLastPathComponent().deletingLastPathComponent()      // repo root
        let shared = dir.deletingLastPathComponent().appendingPathComponent("shared")
        return FileManager.default.fileExists(atPath: shared.path) ? shared : nil
    }
}
