import CFuzzer
import FeedParsing
import Foundation

/// Feeds arbitrary bytes to the feed parser (every format, encoding sniffing, repair pass, plain
/// text rendering). The parser never throws; any crash, hang or sanitizer report is a finding.
private let parser = FeedParser()

@_cdecl("FuzzFeedParser_main")
public func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> Int32 {
    var argc = argc
    var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = argv
    return LLVMFuzzerRunDriver(&argc, &argv) { data, size in
        let bytes = Array(UnsafeBufferPointer(start: data, count: size))
        // The HTTP charset is taken from the first line's tail when it looks like a label, so the
        // fuzzer also explores the "server says X, document says Y" paths.
        _ = parser.parse(bytes: bytes, documentURL: "http://127.0.0.1/feed.xml", httpCharset: size % 3 == 0 ? "utf-8" : nil)
        return 0
    }
}
