import ArticleAnalysis
import CFuzzer
import DyadCore
import Foundation

/// Feeds arbitrary bytes to the analyzer the way `dyadwatch analyze` reads input (plain text,
/// HTML or JSON lines → articles) and analyzes every article: normalization, trie walk, sentence,
/// dyad, stance, tone and frame rules on any text.
nonisolated(unsafe) private var analyzer: Analyzer!

@_cdecl("FuzzAnalyzer_main")
public func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> Int32 {
    do { analyzer = try Analyzer() } catch {
        FileHandle.standardError.write(Data("cannot load the analysis data: \(error)\n".utf8))
        return 1
    }
    var argc = argc
    var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = argv
    return LLVMFuzzerRunDriver(&argc, &argv) { data, size in
        let bytes = Array(UnsafeBufferPointer(start: data, count: size))
        for item in ArticleInput.items(from: bytes, name: "fuzz") {
            if case .article(let article) = item { _ = analyzer.analyze(article) }
        }
        return 0
    }
}
