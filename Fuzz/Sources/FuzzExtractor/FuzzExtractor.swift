import ArticleExtraction
import CFuzzer
import Foundation

/// Feeds arbitrary bytes to the article extractor (sniffing, charset detection, the byte
/// prefilter, libxml2's HTML parser, scoring, metadata and JSON-LD). The extractor never throws;
/// any crash, hang or sanitizer report is a finding.
private let extractor = ArticleExtractor()

@_cdecl("FuzzExtractor_main")
public func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> Int32 {
    var argc = argc
    var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = argv
    return LLVMFuzzerRunDriver(&argc, &argv) { data, size in
        let bytes = Array(UnsafeBufferPointer(start: data, count: size))
        // Vary the HTTP charset and base URL so the "server says X, page says Y" and the
        // canonical-resolution paths are explored too.
        let charset: String? = size % 4 == 0 ? "windows-1251" : size % 4 == 1 ? "utf-8" : nil
        _ = extractor.extract(html: bytes, baseURL: size % 2 == 0 ? "https://127.0.0.1/news/a.html" : nil, httpCharset: charset)
        return 0
    }
}
