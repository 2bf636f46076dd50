import DyadCore
import FeedFetching
import FeedStorage
import Foundation
import Logging

/// The live page queue: takes pending entries from the state database (the durable queue, so a
/// restart simply fetches again what was in flight; several daemons on one database share it, each
/// page claimed by one) and runs their pages on its own worker
/// threads, apart from feed polling. Politeness: at most `concurrency` pages at once, one page at
/// a time per host, `hostDelay` between two requests to one host, and none while the host's feed
/// polls and pages together are at `perHostLimit` (feed polls never wait for pages).
public final class PageQueue: @unchecked Sendable {
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

    private let queue = DispatchQueue(label: "dyadwatch.pages")
    private let workers = DispatchQueue(label: "dyadwatch.pages.work", qos: .utility, attributes: .concurrent)
    private let processor: FulltextProcessor
    private let hosts: HostActivity
    private let logger: Logger
    /// How soon a job blocked only by the host's feed polls is looked at again.
    static let busyHostRetry: TimeInterval = 1
    /// How soon the queue looks again after a page it listed was claimed by another daemon (or
    /// its row was being written): a claim that expires is then taken over.
    static let claimRetry: TimeInterval = 5

    // Owned by `queue`.
    private var settings: Settings
    private var waiting: [PageJob] = []
    private var inFlight: Set<Int64> = []
    private var busyHosts: Set<String> = []
    private var nextAllowed: [String: UInt64] = [:]
    /// Entries left pending (storage failed, or their feed is no longer a configured full-text
    /// feed): not tried again until the next reload or start (no hot loop on a bad disk).
    private var parked: Set<Int64> = []
    private var timer: DispatchSourceTimer?
    private var stopped = false
    private var idleWaiters: [DispatchSemaphore] = []

    public init(processor: FulltextProcessor, settings: Settings, hosts: HostActivity,
                logger: Logger = Logger(label: "dyadwatch.fulltext")) {
        self.processor = processor; self.settings = settings; self.hosts = hosts; self.logger = logger
    }

    /// Looks for pending entries (after a poll stored new ones, and at start) and starts what it may.
    public func wake() { queue.async { [self] in refill(); dispatch() } }

    /// A reload: new limits, and entries parked under the old configuration are looked at again.
    public func update(_ settings: Settings) {
        queue.async { [self] in self.settings = settings; parked = []; refill(); dispatch() }
    }

    /// Starts nothing new; pages in flight finish (or are fetched again after a restart).
    public func stop() { queue.sync { stopped = true; timer?.cancel(); timer = nil; releaseIdleWaiters() } }

    /// Blocks until no job is waiting or in flight, or `timeout` passed; true when idle.
    public func waitUntilIdle(timeout: TimeInterval) -> Bool {
        let semaphore = DispatchSemaphore(value: 0)
        queue.async { [self] in
            refill()
            if waiting.isEmpty && inFlight.isEmpty || stopped { semaphore.signal() } else { idleWaiters.append(semaphore); dispatch() }
        }
        return semaphore.wait(timeout: .now() + timeout) == .success
    }

    /// Pages in flight and waiting (for the status line).
    public var backlog: (inFlight: Int, waiting: Int) { queue.sync { (inFlight.count, waiting.count) } }

    // MARK: on `queue`

    private func refill() {
        guard !stopped else { return }
        let have = Set(waiting.map(\.entryID)).union(inFlight).union(parked)
        let room = settings.bufferLimit - waiting.count
        guard room > 0 else { return }
        do {
            waiting += try processor.store.pendingPages(limit: room, excluding: have)
        } catch {
            logger.error("page queue: cannot read pending pages", metadata: ["error": "\(error)"])
        }
    }

    private func dispatch() {
        guard !stopped else { return }
        let now = DispatchTime.now().uptimeNanoseconds
        var earliest: UInt64? = nil
        var index = 0
        while inFlight.count < settings.concurrency, index < waiting.count {
            let job = waiting[index]
            let host = HostSlots.key(job.link)
            if !host.isEmpty {
                if busyHosts.contains(host) { index += 1; continue }
                if let allowed = nextAllowed[host], allowed > now {
                    earliest = min(earliest ?? allowed, allowed); index += 1; continue
                }
                if hosts.count(host) >= settings.perHostLimit {
                    let retry = now + UInt64(Self.busyHostRetry * 1e9)
                    earliest = min(earliest ?? retry, retry); index += 1; continue
                }
            }
            waiting.remove(at: index)
            start(job, host: host)
        }
        if waiting.isEmpty && inFlight.isEmpty { releaseIdleWaiters() }
        arm(earliest)
    }

    private func start(_ job: PageJob, host: String) {
        inFlight.insert(job.entryID)
        if !host.isEmpty { busyHosts.insert(host); hosts.enter(host) }
        workers.async { [self] in
            var processed = true, claimedElsewhere = false
            do {
                switch try processor.process(job) {
                case nil: claimedElsewhere = true
                case .pending?: processed = false
                default: break
                }
            } catch {
                processed = false
                logger.error("page queue: storing a page outcome failed; the entry stays pending",
                             metadata: ["feed": "\(job.feedID)", "entry": "\(job.entryID)", "error": "\(error)"])
            }
            let ok = processed, elsewhere = claimedElsewhere
            queue.async { [self] in
                inFlight.remove(job.entryID)
                if !ok { parked.insert(job.entryID) }
                if !host.isEmpty {
                    busyHosts.remove(host); hosts.leave(host)
                    // Nothing was requested when another daemon had the page.
                    if !elsewhere { nextAllowed[host] = DispatchTime.now().uptimeNanoseconds + UInt64(settings.hostDelay * 1e9) }
                }
                if elsewhere {
                    // Not listed again until then (no busy loop on a row another daemon is writing).
                    parked.insert(job.entryID)
                    queue.asyncAfter(deadline: .now() + Self.claimRetry) { [self] in parked.remove(job.entryID); refill(); dispatch() }
                }
                if waiting.isEmpty { refill() }
                dispatch()
            }
        }
    }

    private func arm(_ deadline: UInt64?) {
        timer?.cancel(); timer = nil
        guard let deadline, !stopped else { return }
        let t = DispatchSource.makeTimerSource(queue: queue)
        t.schedule(deadline: DispatchTime(uptimeNanoseconds: deadline), leeway: .milliseconds(50))
        t.setEventHandler { [weak self] in self?.dispatch() }
        timer = t
        t.resume()
    }

    private func releaseIdleWaiters() {
        for s in idleWaiters { s.signal() }
        idleWaiters = []
    }
}
