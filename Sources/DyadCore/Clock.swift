import Foundation

/// Where "now" comes from. The daemon uses the wall clock; replay and tests inject their own, so
/// no code path reads the system time directly.
public protocol WallClock: Sendable {
    func now() -> Date
}

/// The system clock.
public struct SystemClock: WallClock {
    public init() {}
    public func now() -> Date { Date() }
}

/// A clock that only moves when told to: replay and tests.
public final class ManualClock: WallClock, @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date
    public init(_ start: Date) { current = start }
    public func now() -> Date { lock.lock(); defer { lock.unlock() }; return current }
    public func set(_ date: Date) { lock.lock(); current = date; lock.unlock() }
    public func advance(by seconds: TimeInterval) { lock.lock(); current += seconds; lock.unlock() }
}
