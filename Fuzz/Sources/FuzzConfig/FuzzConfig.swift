import CFuzzer
import DyadConfig
import Foundation

/// Feeds arbitrary text to the feeds.conf loader: syntax pre-check, TOML parser, tree conversion,
/// every section decoder and the cross-table checks. Nothing may crash; errors are diagnostics.
private let baseDirectory = URL(fileURLWithPath: NSTemporaryDirectory())

@_cdecl("FuzzConfig_main")
public func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> Int32 {
    var argc = argc
    var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = argv
    return LLVMFuzzerRunDriver(&argc, &argv) { data, size in
        let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
        let check = ConfigurationLoader.check(text: text, file: "fuzz.conf", baseDirectory: baseDirectory)
        for diagnostic in check.diagnostics { _ = diagnostic.description }
        if let configuration = check.configuration { _ = configuration.summary }
        return 0
    }
}
