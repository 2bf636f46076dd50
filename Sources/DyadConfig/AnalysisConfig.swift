import Foundation

/// `[analysis]`: optional extra data for the analyzer (gazetteer/lexicon files).
public struct AnalysisConfig: ConfigSection, Equatable {
    public static let tableName = "analysis"

    /// Directory of extra gazetteer/lexicon files merged over the built-in ones; nil = built-ins only.
    public var dataDir: URL?

    public init(from r: TableReader) {
        dataDir = r.path("data_dir")
        var isDirectory: ObjCBool = false
        if let dir = dataDir, !(FileManager.default.fileExists(atPath: dir.path, isDirectory: &isDirectory) && isDirectory.boolValue) {
            r.error("data_dir", "no such directory: \(dir.path)")
        }
    }
}
