import Foundation

/// Inputs the fuzzers (scripts/fuzz.sh) found crashing, hanging or exhausting memory, kept under
/// `Fuzz/Regressions/TARGET/` and replayed by each module's tests through the same entry point.
public enum FuzzRegressions {
    /// Every kept input of `target` (file name, bytes), sorted by name.
    public static func inputs(_ target: String, file: StaticString = #filePath) throws -> [(name: String, bytes: [UInt8])] {
        let root = URL(fileURLWithPath: "\(file)").deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let dir = root.appendingPathComponent("Fuzz/Regressions/\(target)")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return try names.filter { !$0.hasPrefix(".") }.sorted().map { name in
            (name, Array(try Data(contentsOf: dir.appendingPathComponent(name))))
        }
    }
}
