import DyadCore
import FeedFetching
import FeedStorage
import Foundation
import Logging
import Synchronization

/// The live page queue: takes pending entries from the state database (the durable queue, so a
/// restart simply fetches again what was in flight; several daemons on one database share it, each
/// page claimed by one) and runs their pages on its own worker
/// threads, apart from feed polling. Politeness: at most `concurrency` pages at once, one page at
/// a time per host, `hostDelay` between two requests to one host, and none while the host's feed
/// polls and pages together are at `perHostLimit` by the per-host rule (`HostActivity`, i.e.
/// `HostSlots`); feed polls never wait for pages. A page waiting for a retry is not listed before
/// its next attempt; the queue wakes itself then (the earliest one, read at each refill).
public final class PageQueue: Sendable {
    public struct Settings: Sendable, Equatable {
        public var concurrency: Int
        public var hostDelay: TimeInterval
        public var perHostLimit: Int
        /// Jobs taken from the database at once.
        public var bufferLimit: Int
        public init(concurrency: Int, hostDelay: TimeInterval, perHostLimit: Int, bufferLimit: Int) {
            self.concurrency = max(1, concurrency); self.hostDelay = max(0, hostDelay)
            self.perHostLimit = max(1, perHostLimit); self.bufferLimit = max(1, bufferLimit)
        }
    }

    /// Orders the queue's work (wake-ups, finished pages, timers); the state below is guarded by
    /// `state`, taken only inside blocks on this queue.
    private let queue = DispatchQueue(label: "dyadwatch.pages")
    private let workers = DispatchQueue(label: "dyadwatch.pages.work", qos: .utility, attributes: .concurrent)
    private let processor: FulltextProcessor
    private let hosts: HostActivity
    private let logger: Logger
    private let state: Mutex<State>
    /// How soon the queue looks again after a page it listed was claimed by another daemon (or
    /// its row was being written): a claim that expires is then taken over.
    static let claimRetry: TimeInterval = 5

    private struct State {
        var settings: Settings
        var waiting: [PageJob] = []
        var inFlight: Set<Int64> = []
        var busyHosts: Set<String> = []
        var nextAllowed: [String: UInt64] = [:]
        /// Hosts with a job held back only by the host's feed polls: looked at again when a
        /// transfer to them ends (`HostActivity.onLeave`) or turns slow.
        var heldByPolls: Set<String> = []
        /// Uptime (ns) of the earliest next attempt of a page waiting for a retry, when one waits.
        var nextRetry: UInt64?
        /// Entries left pending (storage failed, or their feed is no longer a configured full-text
        /// feed): not tried again until the next reload or start (no hot loop on a bad disk).
        var parked: Set<Int64> = []
        var timer: DispatchSourceTimer?
        var stopped = false
        var idleWaiters: [DispatchSemaphore] = []

        var isIdle: Bool { waiting.isEmpty && inFlight.isEmpty }

        mutating func releaseIdleWaiters() {
            for s in idleWaiters { s.signal() }
            idleWaiters = []
        }
    }

    public init(processor: FulltextProcessor, settings: Settings, hosts: HostActivity,
                logger: Logger = Logger(label: "dyadwatch.fulltext")) {
        self.processor = processor; self.hosts = hosts; self.logger = logger
        state = Mutex(State(settings: settings))
        hosts.onLeave { [weak self] host in self?.hostLeft(host) }
    }

    /// A transfer to `host` ended: a job held back by the host's feed polls may start.
    private func hostLeft(_ host: String) {
        queue.async { [weak self] in
            guard let self else { return }
            self.state.withLock { s in if s.heldByPolls.contains(host) { self.dispatch(&s) } }
        }
    }

    /// Looks for pending entries (after a poll stored new ones, and at start) and starts what it may.
    public func wake() { queue.async { [self] in state.withLock { refill(&$0); dispatch(&$0) } } }

    /// A reload: new limits, and entries parked under the old configuration are looked at again.
    public func update(_ settings: Settings) {
        queue.async { [self] in state.withLock { s in s.settings = settings; s.parked = []; refill(&s); dispatch(&s) } }
    }

    /// Starts nothing new; pages in flight finish (or are fetched again after a restart).
    public func stop() {
        queue.sync { state.withLock { s in s.stopped = true; s.timer?.cancel(); s.timer = nil; s.releaseIdleWaiters() } }
    }

    /// Blocks until no job is waiting or in flight, or `timeout` passed; true when idle.
    public func waitUntilIdle(timeout: TimeInterval) -> Bool {
        let semaphore = DispatchSemaphore(value: 0)
        queue.async { [self] in
            state.withLock { s in
                refill(&s)
                if s.isIdle || s.stopped { semaphore.signal() } else { s.idleWaiters.append(semaphore); dispatch(&s) }
            }
        }
        return semaphore.wait(timeout: .now() + timeout) == .success
    }

    /// Pages in flight and waiting (for the status line).
    public var backlog: (inFlight: Int, waiting: Int) { state.withLock { ($0.inFlight.count, $0.waiting.count) } }

    // MARK: on `queue`, holding `state`

    private func refill(_ s: inout State) {
        guard !s.stopped else { return }
        let have = Set(s.waiting.map(\.entryID)).union(s.inFlight).union(s.parked)
        let room = s.settings.bufferLimit - s.waiting.count
        guard room > 0 else { return }
        do {
            let now = processor.clock.now()
            s.waiting += try processor.store.pendingPages(limit: room, excluding: have, dueBy: now)
            // The wall clock's wait, counted on the uptime clock the timer runs on.
            s.nextRetry = try processor.store.nextPageAttempt(after: now).map {
                DispatchTime.now().uptimeNanoseconds + UInt64(max(0, min($0.timeIntervalSince(now), 86_400)) * 1e9)
            }
        } catch {
            logger.error("page queue: cannot read pending pages", metadata: ["error": "\(error)"])
        }
    }

    private func dispatch(_ s: inout State) {
        guard !s.stopped else { return }
        let now = DispatchTime.now().uptimeNanoseconds
        var earliest: UInt64? = nil
        var index = 0
        s.heldByPolls = []
        while s.inFlight.count < s.settings.concurrency, index < s.waiting.count {
            let job = s.waiting[index]
            let host = HostSlots.key(job.link)
            if !host.isEmpty {
                if s.busyHosts.contains(host) { index += 1; continue }
                if let allowed = s.nextAllowed[host], allowed > now {
                    earliest = min(earliest ?? allowed, allowed); index += 1; continue
                }
                if !hosts.canStart(host, perHost: s.settings.perHostLimit) {
                    s.heldByPolls.insert(host)
                    if let wait = hosts.secondsUntilChange(host) {
                        let free = now + UInt64(wait * 1e9)
                        earliest = min(earliest ?? free, free)
                    }
                    index += 1; continue
                }
            }
            s.waiting.remove(at: index)
            start(job, host: host, &s)
        }
        if s.isIdle { s.releaseIdleWaiters() }
        if let retry = s.nextRetry { earliest = min(earliest ?? retry, retry) }
        arm(earliest, &s)
    }

    private func start(_ job: PageJob, host: String, _ s: inout State) {
        s.inFlight.insert(job.entryID)
        if !host.isEmpty { s.busyHosts.insert(host) }
        let token = host.isEmpty ? nil : hosts.enter(host)
        workers.async { [self] in
            var processed = true, claimedElsewhere = false
            do {
                switch try processor.process(job) {
                case .notClaimed: claimedElsewhere = true
                case .unknownFeed: processed = false
                case .decided, .retry: break
                }
            } catch {
                processed = false
                logger.error("page queue: storing a page outcome failed; the entry stays pending",
                             metadata: ["feed": "\(job.feedID)", "entry": "\(job.entryID)", "error": "\(error)"])
            }
            let ok = processed, elsewhere = claimedElsewhere
            queue.async { [self] in
                state.withLock { s in finished(job, host: host, token: token, processed: ok, claimedElsewhere: elsewhere, &s) }
            }
        }
    }

    private func finished(_ job: PageJob, host: String, token: Int?, processed: Bool, claimedElsewhere: Bool, _ s: inout State) {
        s.inFlight.remove(job.entryID)
        if !processed { s.parked.insert(job.entryID) }
        if let token {
            s.busyHosts.remove(host); hosts.leave(host, token: token)
            // Nothing was requested when another daemon had the page.
            if !claimedElsewhere { s.nextAllowed[host] = DispatchTime.now().uptimeNanoseconds + UInt64(s.settings.hostDelay * 1e9) }
        }
        if claimedElsewhere {
            // Not listed again until then (no busy loop on a row another daemon is writing).
            s.parked.insert(job.entryID)
            queue.asyncAfter(deadline: .now() + Self.claimRetry) { [self] in
                state.withLock { s in s.parked.remove(job.entryID); refill(&s); dispatch(&s) }
            }
        }
        if s.waiting.isEmpty { refill(&s) }
        dispatch(&s)
    }

    private func arm(_ deadline: UInt64?, _ s: inout State) {
        s.timer?.cancel(); s.timer = nil
        guard let deadline, !s.stopped else { return }
        let t = DispatchSource.makeTimerSource(queue: queue)
        t.schedule(deadline: DispatchTime(uptimeNanoseconds: deadline), leeway: .milliseconds(50))
        t.setEventHandler { [weak self] in
            guard let self else { return }
            self.state.withLock { s in
                // A retry came due: list it (and what else is due) first.
                if let retry = s.nextRetry, retry <= DispatchTime.now().uptimeNanoseconds + 50_000_000 { s.nextRetry = nil; self.refill(&s) }
                self.dispatch(&s)
            }
        }
        s.timer = t
        t.resume()
    }
}
