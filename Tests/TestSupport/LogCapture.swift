import Foundation
import Logging

/// Collects log events in memory so a test can assert on the line an operator would see:
/// level, message and every metadata key (`error_class`, `reason`, `bytes`, …).
public final class LogCapture: @unchecked Sendable {
    public struct Event: Sendable, CustomStringConvertible {
        public var level: Logger.Level
        public var message: String
        public var metadata: [String: String]
        public var description: String {
            "level=\(level) msg=\"\(message)\" " + metadata.keys.sorted().map { "\($0)=\(metadata[$0]!)" }.joined(separator: " ")
        }
    }

    private let lock = NSLock()
    private var stored: [Event] = []

    public init() {}

    public var events: [Event] { lock.lock(); defer { lock.unlock() }; return stored }

    /// Events whose metadata has `key` = `value`, or whose message contains `message`.
    public func events(where key: String, is value: String) -> [Event] { events.filter { $0.metadata[key] == value } }
    public func events(containing message: String) -> [Event] { events.filter { $0.message.contains(message) } }

    func append(_ event: Event) { lock.lock(); stored.append(event); lock.unlock() }

    /// A logger writing into this capture (level `.trace`: everything is kept).
    public func logger(label: String = "test") -> Logger {
        var logger = Logger(label: label) { _ in Handler(capture: self) }
        logger.logLevel = .trace
        return logger
    }

    struct Handler: LogHandler {
        let capture: LogCapture
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(level: Logger.Level, message: Logger.Message, metadata extra: Logger.Metadata?, source: String,
                 file: String, function: String, line: UInt) {
            let merged = metadata.merging(extra ?? [:]) { $1 }
            capture.append(Event(level: level, message: message.description, metadata: merged.mapValues { "\($0)" }))
        }
    }
}
