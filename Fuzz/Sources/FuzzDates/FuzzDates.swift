import CFuzzer
import FeedParsing
import Foundation

/// Feeds arbitrary strings to the feed date parsers (RFC 822/1123 fast and tolerant paths,
/// W3C-DTF/ISO 8601, localized month names, civil-time arithmetic). nil is fine; a trap is not.
@_cdecl("FuzzDates_main")
public func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> Int32 {
    var argc = argc
    var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = argv
    return LLVMFuzzerRunDriver(&argc, &argv) { data, size in
        let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
        if let date = FeedDate.parse(text) { _ = date.timeIntervalSince1970 }
        return 0
    }
}
