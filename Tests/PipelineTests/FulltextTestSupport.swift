import Foundation
import Logging
#if canImport(Glibc)
import Glibc
#endif

/// Log lines a test can assert on: message, level and metadata as strings.
final class RecordedLog: @unchecked Sendable {
    struct Line: Sendable { var level: Logger.Level; var message: String; var metadata: [String: String] }
    private let lock = NSLock()
    private var stored: [Line] = []
    func append(_ line: Line) { lock.lock(); stored.append(line); lock.unlock() }
    var lines: [Line] { lock.lock(); defer { lock.unlock() }; return stored }
    func lines(_ message: String) -> [Line] { lines.filter { $0.message == message } }

    var logger: Logger {
        Logger(label: "test") { _ in RecordingLogHandler(log: self) }
    }
}

struct RecordingLogHandler: LogHandler {
    let log: RecordedLog
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] } set { metadata[key] = newValue }
    }
    func log(level: Logger.Level, message: Logger.Message, metadata extra: Logger.Metadata?, source: String,
             file: String, function: String, line: UInt) {
        let all = metadata.merging(extra ?? [:]) { _, new in new }
        log.append(.init(level: level, message: message.description, metadata: all.mapValues { "\($0)" }))
    }
}

/// Saved pages of the full-text tests (`Tests/PipelineTests/FulltextFixtures`), read by path.
enum FulltextFixture {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("FulltextFixtures")

    static func text(_ name: String) throws -> String {
        try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
    }

    /// `text` converted from UTF-8 to `charset` with glibc iconv (the fixtures are kept readable in UTF-8).
    static func encode(_ text: String, as charset: String) -> [UInt8] {
        let cd = iconv_open(charset, "UTF-8")
        precondition(cd != iconv_t(bitPattern: -1), "iconv cannot convert to \(charset)")
        defer { iconv_close(cd) }
        var input = Array(text.utf8).map { CChar(bitPattern: $0) }
        var output = [CChar](repeating: 0, count: input.count * 4 + 16)
        var inLeft = input.count, outLeft = output.count
        let produced: Int = input.withUnsafeMutableBufferPointer { inBuf in
            output.withUnsafeMutableBufferPointer { outBuf in
                var inPtr: UnsafeMutablePointer<CChar>? = inBuf.baseAddress
                var outPtr: UnsafeMutablePointer<CChar>? = outBuf.baseAddress
                let rc = iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft)
                precondition(rc != -1, "iconv failed for \(charset)")
                return outBuf.count - outLeft
            }
        }
        return output[0..<produced].map { UInt8(bitPattern: $0) }
    }
}
