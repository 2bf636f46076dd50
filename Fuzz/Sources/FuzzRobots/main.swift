import CFuzzer
import FeedFetching
import Foundation

/// Feeds arbitrary bytes to the robots.txt parser and matcher: the first line is the path to
/// judge, the rest the robots.txt. Any answer is fine; a trap or a hang is not.
@_cdecl("FuzzRobots_main")
public func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> Int32 {
    var argc = argc
    var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = argv
    return LLVMFuzzerRunDriver(&argc, &argv) { data, size in
        let bytes = Array(UnsafeBufferPointer(start: data, count: size))
        let newline = bytes.firstIndex(of: 0x0A) ?? bytes.count
        let path = String(decoding: bytes[..<newline], as: UTF8.self)
        let rules = RobotsRules(parsing: Array(bytes[min(bytes.count, newline + 1)...]), agent: "dyadwatch")
        _ = rules.allows(path)
        _ = rules.allows("/")
        return 0
    }
}
