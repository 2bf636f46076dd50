import Foundation
import Synchronization
import Logging

/// A swift-log handler writing one line per event: `level=info msg="…" feed=xinhua status=200 ms=41`.
/// Values with spaces, quotes or `=` are quoted. Under journald (`$JOURNAL_STREAM` set) no time is
/// written because the journal adds its own; elsewhere each line starts with an ISO-8601 UTC time.
public struct KeyValueLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    /// Shared, so a reload can change the level of every logger at once.
    private let levelBox: LogLevelBox
    private let output: LogOutput
    private let label: String
    private let timestamps: Bool

    public init(label: String, output: LogOutput, level: LogLevelBox, timestamps: Bool) {
        self.label = label; self.output = output; self.levelBox = level; self.timestamps = timestamps
    }

    /// Set when one logger asks for its own level (e.g. a quieter component); otherwise the
    /// process-wide level applies.
    private var ownLevel: Logger.Level?

    public var logLevel: Logger.Level {
        get { ownLevel ?? levelBox.level }
        set { ownLevel = newValue }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        output.write(KeyValueLogHandler.format(level: event.level, message: "\(event.message)", label: label,
                                               metadata: merged, time: timestamps ? Date() : nil))
    }

    /// One log line (with trailing newline). Keys keep a fixed order for the common fields so lines
    /// line up when scanning a terminal: feed, url, status, ms, error first, the rest sorted.
    static func format(level: Logger.Level, message: String, label: String, metadata: Logger.Metadata, time: Date?) -> String {
        var line = ""
        if let time { line += ISO8601Line.string(time) + " " }
        line += "level=\(level.rawValue) msg=\(quote(message))"
        let leading = ["feed", "url", "status", "ms", "bytes", "error_class", "error"]
        for key in leading { if let value = metadata[key] { line += " \(key)=\(quote(render(value)))" } }
        for key in metadata.keys.sorted() where !leading.contains(key) {
            line += " \(key)=\(quote(render(metadata[key]!)))"
        }
        if !label.isEmpty && label != "dyadwatch" { line += " component=\(quote(label))" }
        return line + "\n"
    }

    static func render(_ value: Logger.Metadata.Value) -> String {
        switch value {
        case .string(let s): return s
        case .stringConvertible(let c): return c.description
        case .array(let a): return a.map(render).joined(separator: ",")
        case .dictionary(let d): return d.keys.sorted().map { "\($0):\(render(d[$0]!))" }.joined(separator: ",")
        }
    }

    /// Quotes a value when it is empty or holds whitespace, quotes, `=` or control characters.
    static func quote(_ s: String) -> String {
        let needsQuotes = s.isEmpty || s.unicodeScalars.contains { $0 == " " || $0 == "\"" || $0 == "=" || $0 == "\\" || $0.value < 0x20 }
        guard needsQuotes else { return s }
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 { out += String(format: "\\x%02x", scalar.value) } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out + "\""
    }
}

/// Millisecond-precision ISO-8601 UTC for log lines (`2026-01-02T03:04:05.678Z`).
enum ISO8601Line {
    static func string(_ date: Date) -> String {
        let seconds = date.timeIntervalSince1970
        var t = time_t(seconds.rounded(.down))
        var parts = tm()
        gmtime_r(&t, &parts)
        let millis = Int((seconds - seconds.rounded(.down)) * 1000)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
                      Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), millis)
    }
}

/// The process-wide log level, changeable at runtime (SIGHUP with a new `log_level`); loggers
/// that set their own level keep it.
public final class LogLevelBox: Sendable {
    private let current: Mutex<Logger.Level>
    public init(_ level: Logger.Level) { current = Mutex(level) }
    public var level: Logger.Level {
        get { current.withLock { $0 } }
        set { current.withLock { $0 = newValue } }
    }
}

/// Where log lines go: stderr, and optionally a file that `reopen()` reopens after logrotate moved it.
/// Whole lines are written with one `write(2)` under a lock so concurrent events never interleave.
public final class LogOutput: Sendable {
    private let toStderr: Bool
    public let filePath: String?
    /// The open log file, -1 without one; writes hold this lock so lines never interleave.
    private let fileDescriptor = Mutex<Int32>(-1)

    public init(stderr: Bool = true, filePath: String? = nil) {
        toStderr = stderr
        self.filePath = filePath
        reopen()
    }

    deinit { fileDescriptor.withLock { if $0 >= 0 { close($0) } } }

    /// Reopens the log file (append, create 0640); a no-op without one.
    public func reopen() {
        guard let filePath else { return }
        let fd = open(filePath, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o640)
        let old = fileDescriptor.withLock { current in
            defer { current = fd }
            return current
        }
        if old >= 0 { close(old) }
        if fd < 0 { writeAll(2, "level=error msg=\"cannot open log file\" path=\(KeyValueLogHandler.quote(filePath)) error=\(KeyValueLogHandler.quote(String(cString: strerror(errno))))\n") }
    }

    public func write(_ line: String) {
        fileDescriptor.withLock { fd in
            if toStderr { writeAll(2, line) }
            if fd >= 0 { writeAll(fd, line) }
        }
    }

    private func writeAll(_ fd: Int32, _ line: String) {
        var bytes = Array(line.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeMutableBytes { Foundation.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 { if errno == EINTR { continue }; return }
            offset += n
        }
    }
}

/// Installs the key=value handler as the process's swift-log backend (once per process).
public enum DaemonLogging {
    public static func bootstrap(output: LogOutput, level: LogLevelBox,
                                 environment: [String: String] = ProcessInfo.processInfo.environment) {
        let timestamps = environment["JOURNAL_STREAM"] == nil
        LoggingSystem.bootstrap { label in
            KeyValueLogHandler(label: label, output: output, level: level, timestamps: timestamps)
        }
    }

    /// Parses a `log_level` value (`trace` … `critical`, also `warn`/`err`).
    public static func level(_ text: String) -> Logger.Level? {
        switch text.lowercased() {
        case "warn": return .warning
        case "err": return .error
        default: return Logger.Level(rawValue: text.lowercased())
        }
    }
}
