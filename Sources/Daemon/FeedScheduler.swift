import Foundation
import DyadCore
import FeedFetching
import Telemetry
import Logging
import Synchronization

/// The Dispatch scheduler: one serial queue owns the schedule, one timer is armed for the earliest
/// due feed (or the next heartbeat), and polls run on a concurrent worker queue within the global
/// and per-host limits. The scheduler queue only does bookkeeping, so a slow poll, a slow database
/// or a slow analysis never delays the next decision. The schedule itself is guarded by `state`,
/// taken inside the queue's blocks (and briefly by the readers).
public final class FeedScheduler: Sendable {
    /// What the scheduler hands each finished poll to (counts, status line); called on its queue.
    public typealias OutcomeHandler = @Sendable (PollOutcome, _ nextDue: Date?) -> Void
    public typealias Poll = @Sendable (DaemonFeed, Date) -> PollOutcome

    private let queue = DispatchQueue(label: "dyadwatch.scheduler")
    private let workQueue = DispatchQueue(label: "dyadwatch.poll", qos: .utility, attributes: .concurrent)
    private let state: Mutex<State>
    private let clock: any SchedulerClock
    private let heartbeat: Heartbeat
    /// Longest real time between two turns of the loop, so the heartbeat stays fresh when idle.
    private let turnInterval: TimeInterval
    private let poll: Poll
    private let logger: Logger
    private let faults: FaultInjection
    private let startedAt = DispatchTime.now().uptimeNanoseconds

    private struct State {
        var book: ScheduleBook
        var timer: (any DispatchSourceTimer)?
        var stopping = false
        var whenIdle: (@Sendable () -> Void)?
        var outcomeHandler: OutcomeHandler?

        /// After a stop, calls `whenIdle` once the last poll in flight finished.
        mutating func reportIdleIfStopped() {
            if stopping, book.inFlightCount == 0, let whenIdle { self.whenIdle = nil; whenIdle() }
        }
    }

    /// Default gap between polls of feeds on one host (shrunk when a host has many feeds).
    public static let defaultHostSpacing: TimeInterval = 2
    /// Timer leeway: lets the kernel coalesce wake-ups without delaying polls noticeably.
    static let timerLeeway = DispatchTimeInterval.milliseconds(20)

    public init(settings: DaemonSettings, clock: any SchedulerClock,
                heartbeat: Heartbeat, turnInterval: TimeInterval, hostSpacing: TimeInterval = FeedScheduler.defaultHostSpacing,
                faults: FaultInjection = FaultInjection(), logger: Logger, poll: @escaping Poll) {
        state = Mutex(State(book: ScheduleBook(concurrency: settings.concurrency, perHostConcurrency: settings.perHostConcurrency,
                                               hostSpacing: hostSpacing)))
        self.clock = clock; self.heartbeat = heartbeat; self.turnInterval = turnInterval
        self.faults = faults; self.logger = logger; self.poll = poll
    }

    public func onOutcome(_ handler: @escaping OutcomeHandler) { state.withLock { $0.outcomeHandler = handler } }

    /// Schedules the enabled feeds (stored due times kept, the rest due now, spread per host) and starts the loop.
    public func start(feeds: [DaemonFeed], stored: [String: StoredFeedSchedule]) {
        queue.async { [self] in
            let now = clock.now()
            var entries: [(feed: DaemonFeed, due: Date)] = []
            for feed in feeds where feed.enabled {
                if let reason = stored[feed.id]?.disabledReason {
                    logger.warning("feed disabled; not polled", metadata: ["feed": "\(feed.id)", "url": "\(feed.url)", "error": "\(reason)"])
                    continue
                }
                entries.append((feed, stored[feed.id]?.nextDue ?? now))
            }
            state.withLock { s in
                s.book.upsertAll(entries)
                let timer = DispatchSource.makeTimerSource(queue: queue)
                timer.setEventHandler { [weak self] in self?.turn() }
                s.timer = timer
                timer.schedule(deadline: .now())
                timer.resume()
            }
        }
    }

    /// Applies a reloaded feed list: new feeds are due now, removed ones are dropped, changed ones
    /// keep their state and are due now when their URL changed. Returns (added, removed, changed).
    @discardableResult
    public func update(feeds: [DaemonFeed], settings: DaemonSettings) -> (added: [String], removed: [String], changed: [String]) {
        queue.sync { [self] in state.withLock { s in
            let now = clock.now()
            s.book.concurrency = max(1, settings.concurrency)
            s.book.perHostConcurrency = max(1, settings.perHostConcurrency)
            let wanted = Dictionary(feeds.filter(\.enabled).map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
            var added: [String] = [], removed: [String] = [], changed: [String] = []
            for id in s.book.feedIDs where wanted[id] == nil {
                s.book.remove(id); removed.append(id)
            }
            for (id, feed) in wanted {
                guard let slot = s.book.slot(id) else {
                    s.book.upsert(feed, due: now); added.append(id); continue
                }
                guard slot.feed != feed else { continue }
                changed.append(id)
                // A new URL is polled at once; a new interval applies from the current due time, capped by it.
                let due = feed.url != slot.feed.url ? now : min(slot.due, now.addingTimeInterval(feed.interval))
                s.book.upsert(feed, due: due)
            }
            if !s.stopping { turnSoon(s) }
            return (added.sorted(), removed.sorted(), changed.sorted())
        } }
    }

    /// Stops starting polls and calls `completion` once none is in flight (on the scheduler queue).
    /// Never returns early: the caller bounds the wait itself (the queue may be wedged).
    public func stop(completion: @escaping @Sendable () -> Void) {
        queue.async { [self] in
            state.withLock { s in
                s.stopping = true
                s.timer?.cancel(); s.timer = nil
                if s.book.inFlightCount == 0 { completion() } else { s.whenIdle = completion }
            }
        }
    }

    /// Polls in flight right now.
    public var inFlight: Int { queue.sync { state.withLock { $0.book.inFlightCount } } }

    /// Each scheduled feed's next due time (nil while in flight).
    public func schedule() -> [String: Date?] {
        queue.sync {
            state.withLock { s in
                Dictionary(uniqueKeysWithValues: s.book.slots.map { ($0.key, $0.value.inFlight ? nil : $0.value.due) })
            }
        }
    }

    // MARK: - The loop (on `queue`)

    private func turn() {
        heartbeat.beat()
        injectWedgeIfDue()
        state.withLock { turn(&$0) }
    }

    private func turn(_ s: inout State) {
        guard !s.stopping else { return }
        let now = clock.now()
        for (feed, generation) in s.book.takeDue(now: now) { launch(feed, generation: generation) }
        Telemetry.schedulerTurned(lagSeconds: s.book.earliestDue.map { now.timeIntervalSince($0) } ?? 0)
        arm(now: now, s)
    }

    private func turnSoon(_ s: State) { s.timer?.schedule(deadline: .now(), leeway: FeedScheduler.timerLeeway) }

    /// Arms the timer for the earliest due feed, or the next heartbeat if that comes first. A due
    /// feed held back by the limits waits for a poll to finish (which turns the loop) or the heartbeat.
    private func arm(now: Date, _ s: State) {
        var delay = turnInterval
        if let due = s.book.earliestDue, due > now {
            delay = min(delay, clock.realSeconds(for: due.timeIntervalSince(now)))
        }
        // A due feed waiting for its host: wake when a poll in flight turns slow and frees a slot.
        let monotonic = HostSlots.monotonicNow()
        if let change = s.book.nextSlotChange(now: now, monotonicNow: monotonic) {
            delay = min(delay, change - monotonic + 0.01)
        }
        s.timer?.schedule(deadline: .now() + max(0, delay), leeway: FeedScheduler.timerLeeway)
    }

    private func launch(_ feed: DaemonFeed, generation: Int) {
        logger.debug("poll start", metadata: ["feed": "\(feed.id)", "url": "\(feed.url)"])
        workQueue.async { [self] in
            let outcome = poll(feed, clock.now())
            queue.async { [self] in
                let (handler, booked) = state.withLock { s in (s.outcomeHandler, finished(feed, generation: generation, outcome: outcome, &s)) }
                // Outside the lock: the handler may ask the scheduler for its state.
                if case .booked(let nextDue) = booked { handler?(outcome, nextDue) }
                let stopping = state.withLock { s in s.reportIdleIfStopped(); return s.stopping }
                if !stopping { turn() }
            }
        }
    }

    /// Shortest wait before asking again for a feed another daemon holds.
    static let skippedRetryFloor: TimeInterval = 1

    /// What became of a finished poll in the book.
    private enum Booking {
        /// Another daemon had the feed: nothing polled, nothing to report.
        case skipped
        /// Polled; due again then (nil: it left the schedule).
        case booked(nextDue: Date?)
    }

    /// Books a finished poll.
    private func finished(_ feed: DaemonFeed, generation: Int, outcome: PollOutcome, _ s: inout State) -> Booking {
        guard let current = s.book.finish(feed.id, generation: generation) else {
            logDisabled(outcome, feed: feed)
            return .booked(nextDue: nil)
        }
        if let why = outcome.skipped {
            // Another daemon sharing the database has the feed: ask again when it says;
            // nothing was polled, logged as a poll or counted.
            let now = clock.now()
            let due = max(outcome.schedule.due ?? now, now.addingTimeInterval(Self.skippedRetryFloor))
            s.book.place(feed.id, at: due)
            logger.debug("poll skipped", metadata: ["feed": "\(feed.id)", "reason": "\(why)",
                                                    "next_in": "\(Int(due.timeIntervalSince(now).rounded()))s"])
            return .skipped
        }
        var nextDue: Date?
        // The backend decided with the one policy (`PollSchedule`); the book only spreads
        // feeds of one host apart, which can move the time later, never earlier.
        if let due = outcome.schedule.due {
            let now = clock.now()
            s.book.place(feed.id, at: max(due, now))
            nextDue = s.book.slot(feed.id)?.due
            log(outcome, feed: current.feed, delay: (nextDue ?? due).timeIntervalSince(now))
        } else {
            s.book.remove(feed.id)
        }
        logDisabled(outcome, feed: feed)
        return .booked(nextDue: nextDue)
    }

    private func logDisabled(_ outcome: PollOutcome, feed: DaemonFeed) {
        guard let reason = outcome.disabledReason else { return }
        logger.error("feed disabled", metadata: ["feed": "\(feed.id)", "url": "\(feed.url)",
                                                 "status": "\(outcome.status.map(String.init) ?? "-")",
                                                 "ms": "\(Int((outcome.duration * 1000).rounded()))", "bytes": "\(outcome.bytes)",
                                                 "error": "\(reason)", "error_class": "\(outcome.errorClass?.rawValue ?? FeedErrorClass.gone.rawValue)",
                                                 "reason": "\(outcome.schedule.reason.rawValue)"])
    }

    private func log(_ outcome: PollOutcome, feed: DaemonFeed, delay: TimeInterval) {
        var metadata: Logger.Metadata = [
            "feed": "\(feed.id)", "url": "\(feed.url)",
            "status": "\(outcome.status.map(String.init) ?? "-")",
            "ms": "\(Int((outcome.duration * 1000).rounded()))", "bytes": "\(outcome.bytes)",
            "next_in": "\(Int(delay.rounded()))s", "reason": "\(outcome.schedule.reason.rawValue)",
        ]
        if let moved = outcome.movedTo { metadata["moved_to"] = "\(moved)" }
        if outcome.stale { metadata["stale"] = "true" }
        if !outcome.problems.isEmpty { metadata["problems"] = "\(outcome.problems.joined(separator: ","))" }
        if let error = outcome.error {
            metadata["error"] = "\(error)"
            metadata["error_class"] = "\(outcome.errorClass?.rawValue ?? "-")"
            metadata["failures"] = "\(outcome.consecutiveFailures)"
            logger.warning("poll failed; backing off", metadata: metadata)
        } else {
            metadata["new"] = "\(outcome.newEntries)"
            metadata["updated"] = "\(outcome.updatedEntries)"
            logger.info("poll ok", metadata: metadata)
        }
    }

    /// Fault injection for the watchdog test: blocks this queue forever once the delay has passed.
    private func injectWedgeIfDue() {
        guard let after = faults.wedgeSchedulerAfter else { return }
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - startedAt) / 1e9
        guard elapsed >= after else { return }
        logger.critical("fault injected: wedging the scheduler loop", metadata: ["fault": "wedge-scheduler-after"])
        DispatchSemaphore(value: 0).wait()
    }
}
