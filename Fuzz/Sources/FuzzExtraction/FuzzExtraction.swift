import ArticleExtraction
import CFuzzer
import Foundation

/// Feeds arbitrary bytes to the article extractor as an HTML page (charset sniffing, libxml2's HTML
/// parser in recover mode, scoring, metadata, text assembly). Any page gives a result or a verdict.
private let extractor = ArticleExtractor()

@_cdecl("FuzzExtraction_main")
public func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> Int32 {
    var argc = argc
    var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = argv
    return LLVMFuzzerRunDriver(&argc, &argv) { data, size in
        let bytes = Array(UnsafeBufferPointer(start: data, count: size))
        let page = extractor.extract(html: bytes, baseURL: "http://127.0.0.1/article.html", httpCharset: size % 2 == 0 ? nil : "utf-8")
        _ = page.text.utf8.count
        return 0
    }
}
