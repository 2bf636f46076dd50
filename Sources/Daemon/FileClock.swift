import DyadCore
import Foundation
import Synchronization

/// A clock that reads the time from a file (one ISO-8601 instant) each time it is asked, for a
/// test driver that steps several daemons through a history in lockstep. The scheduler cannot
/// know when the file will change, so it looks again every `recheck` real seconds. An unreadable
/// or unparsable file keeps the last time read (the epoch before any).
public final class FileClock: SchedulerClock, Sendable {
    public let path: String
    private let last = Mutex(Date(timeIntervalSince1970: 0))
    /// Longest real wait between two looks at the file.
    public static let recheck: TimeInterval = 0.05

    public init(path: String) { self.path = path }

    public func now() -> Date {
        if let data = FileManager.default.contents(atPath: path),
           let date = ISO8601.date(String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) {
            last.withLock { $0 = date }
            return date
        }
        return last.withLock { $0 }
    }

    public func realSeconds(for seconds: TimeInterval) -> TimeInterval { min(seconds, Self.recheck) }
}
