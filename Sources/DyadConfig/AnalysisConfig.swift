import Foundation

/// `[analysis]`: optional extra data for the analyzer (gazetteer/lexicon files).
public struct AnalysisConfig: ConfigSection, Equatable {
    public static let tableName = "analysis"

    /// Directory of extra gazetteer/lexicon files merged over the built-in ones; nil = built-ins only.
    public var dataDir: URL?
    /// Trained stance model (JSON written by `dyadwatch train`); nil = the built-in rules alone.
    public var model: URL?

    public init(from r: TableReader) {
        dataDir = r.path("data_dir")
        var isDirectory: ObjCBool = false
        if let dir = dataDir, !(FileManager.default.fileExists(atPath: dir.path, isDirectory: &isDirectory) && isDirectory.boolValue) {
            r.error("data_dir", "no such directory: \(dir.path)")
        }
        model = r.path("model")
        if let file = model, !(FileManager.default.fileExists(atPath: file.path, isDirectory: &isDirectory) && !isDirectory.boolValue) {
            r.error("model", "no such file: \(file.path)")
        }
    }
}
