import Foundation
import FeedFetching
@testable import Daemon

/// A backend whose polls are scripted: records what was polled, can hold a feed's poll until
/// released, and counts concurrency, so scheduler and service behaviour is observable without a network.
final class FakeBackend: DaemonBackend, @unchecked Sendable {
    private let lock = NSLock()
    private(set) var polls: [String] = []
    private(set) var maxConcurrent = 0
    private var current = 0
    private var held: [String: DispatchSemaphore] = [:]
    private(set) var reloads = 0
    private(set) var reopens = 0
    private(set) var shutdowns = 0
    var stored: [String: StoredFeedSchedule] = [:]
    var rejectReload = false
    /// What each poll of a feed comes to; the due time then comes from the one policy
    /// (`PollSchedule`, no jitter), as in the real backend.
    var result: @Sendable (DaemonFeed) -> ScheduleInput = { _ in .success(ttlFloor: nil) }
    var maxBackoff: TimeInterval = 86_400

    func outcome(_ feed: DaemonFeed, now: Date) -> PollOutcome {
        let input = result(feed)
        let decision = PollSchedule(interval: feed.interval, maxBackoff: maxBackoff, jitter: 0).next(after: input, now: now, random: 0)
        switch input {
        case .success:
            return PollOutcome(feedID: feed.id, schedule: decision, status: 200, newEntries: 1)
        case .failure(let failures, let retryAfter):
            return PollOutcome(feedID: feed.id, schedule: decision, status: retryAfter == nil ? nil : 429,
                               error: retryAfter == nil ? "connection refused" : "HTTP 429",
                               errorClass: retryAfter == nil ? .connect : .rateLimited, consecutiveFailures: failures)
        case .gone:
            return PollOutcome(feedID: feed.id, schedule: decision, status: 410, errorClass: .gone, disabledReason: "HTTP 410 Gone")
        }
    }

    /// The next polls of `feedID` block until `release(feedID)`.
    func hold(_ feedID: String) { lock.lock(); held[feedID] = DispatchSemaphore(value: 0); lock.unlock() }
    func release(_ feedID: String) {
        lock.lock(); let semaphore = held.removeValue(forKey: feedID); lock.unlock()
        semaphore?.signal()
    }

    func pollCount(_ feedID: String) -> Int { lock.lock(); defer { lock.unlock() }; return polls.filter { $0 == feedID }.count }
    var totalPolls: Int { lock.lock(); defer { lock.unlock() }; return polls.count }

    func start(_ configuration: DaemonConfiguration) throws -> [String: StoredFeedSchedule] { stored }
    func reload(_ configuration: DaemonConfiguration) throws {
        lock.lock(); defer { lock.unlock() }
        if rejectReload { throw FakeError(message: "backend refused") }
        reloads += 1
    }
    func poll(_ feed: DaemonFeed, now: Date) -> PollOutcome {
        lock.lock()
        polls.append(feed.id); current += 1; maxConcurrent = max(maxConcurrent, current)
        let semaphore = held[feed.id]
        lock.unlock()
        semaphore?.wait()
        semaphore?.signal()  // let later polls of a released feed pass
        lock.lock(); current -= 1; lock.unlock()
        return outcome(feed, now: now)
    }
    func maintenance(now: Date) {}
    func counts() -> ServiceCounts { lock.lock(); defer { lock.unlock() }; return ServiceCounts(feeds: 0, entries: polls.count) }
    func reopenOutputs() { lock.lock(); reopens += 1; lock.unlock() }
    func shutdown() { lock.lock(); shutdowns += 1; lock.unlock() }
}

struct FakeError: Error, CustomStringConvertible { var message: String; var description: String { message } }

/// A loader returning whatever configuration the test sets, or failing with a located message.
final class FakeLoader: ConfigurationLoading, @unchecked Sendable {
    private let lock = NSLock()
    private var next: Result<DaemonConfiguration, FakeError>
    init(_ configuration: DaemonConfiguration) { next = .success(configuration) }
    func set(_ configuration: DaemonConfiguration) { lock.lock(); next = .success(configuration); lock.unlock() }
    func fail(_ message: String) { lock.lock(); next = .failure(FakeError(message: message)); lock.unlock() }
    func load(path: String) throws -> DaemonConfiguration { lock.lock(); defer { lock.unlock() }; return try next.get() }
}

/// Waits (polling briefly) until `condition` holds; false on timeout.
func eventually(timeout: TimeInterval = 10, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if condition() { return true }
        usleep(10_000)
    }
    return condition()
}
