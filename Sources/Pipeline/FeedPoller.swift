import DyadConfig
import DyadCore
import FeedFetching
import FeedParsing
import FeedStorage
import Foundation
import Logging

/// One poll of a set of feeds: fetch (conditional, bounded) → parse → store the feed's state
/// and entries in one transaction → hand the new and changed entries to the sink. Used by
/// `dyadwatch poll --once` and by the daemon for each batch of due feeds.
public final class FeedPoller: Sendable {
    public let configuration: Configuration
    public let store: any FeedStoring
    let sink: (any EntrySink)?
    let clock: any WallClock
    let logger: Logger
    /// Uniform draws in 0…1 for schedule jitter; injected so tests are deterministic.
    let random: @Sendable () -> Double
    let parser = FeedParser()
    /// Bytes of a non-feed body inspected to tell an HTML page from other junk.
    static let sniffLength = 512

    public init(configuration: Configuration, store: any FeedStoring, sink: (any EntrySink)? = nil,
                clock: any WallClock = SystemClock(), logger: Logger = Logger(label: "dyadwatch.poll"),
                random: @escaping @Sendable () -> Double = { Double.random(in: 0...1) }) {
        self.configuration = configuration; self.store = store; self.sink = sink; self.clock = clock
        self.logger = logger; self.random = random
    }

    /// The fetch limits of `[daemon]`.
    public static func fetchPolicy(_ daemon: DaemonConfig) -> FetchPolicy {
        FetchPolicy(concurrency: daemon.concurrency, perHostConcurrency: daemon.perHostConcurrency,
                    connectTimeout: daemon.connectTimeout, timeout: daemon.timeout, lowSpeedLimit: daemon.lowSpeedLimit,
                    lowSpeedTime: daemon.lowSpeedTime, maxBody: daemon.maxBody, maxRedirects: daemon.maxRedirects,
                    userAgent: daemon.userAgent)
    }

    public func schedule(for feed: FeedConfig) -> PollSchedule {
        PollSchedule(interval: feed.effectiveInterval(configuration.daemon), maxBackoff: configuration.daemon.maxBackoff)
    }

    /// Enabled feeds not disabled by a 410 that are due at `now` (all of them with `ignoringSchedule`).
    public func dueFeeds(at now: Date, ignoringSchedule: Bool = false) throws -> [FeedConfig] {
        try due(at: now, ignoringSchedule: ignoringSchedule).map(\.0)
    }

    private func due(at now: Date, ignoringSchedule: Bool) throws -> [(FeedConfig, FeedState)] {
        let states = Dictionary(uniqueKeysWithValues: try store.register(configuration.feeds).map { ($0.id, $0) })
        return configuration.enabledFeeds.compactMap { feed in
            guard let state = states[feed.id], state.disabledReason == nil else { return nil }
            return ignoringSchedule || state.isDue(at: now) ? (feed, state) : nil
        }
    }

    /// Earliest next-due time over the enabled, active feeds (nil = none scheduled): the daemon sleeps until then.
    public func nextDueDate() throws -> Date? {
        let enabled = Set(configuration.enabledFeeds.map(\.id))
        return try store.states().filter { enabled.contains($0.id) && $0.disabledReason == nil }
            .map { $0.nextDue ?? .distantPast }.min()
    }

    /// Polls the feeds due now (every enabled feed with `all`).
    public func pollOnce(all: Bool = false) throws -> PollCycleReport {
        let due = try due(at: clock.now(), ignoringSchedule: all)
        return try poll(due.map(\.0), states: due.map(\.1))
    }

    /// Polls exactly `feeds`, concurrently within the configured limits; reports in the given order.
    /// Throws only for storage errors; feed failures are reported, stored and scheduled.
    public func poll(_ feeds: [FeedConfig]) throws -> PollCycleReport {
        try poll(feeds, states: try store.register(feeds))
    }

    private func poll(_ feeds: [FeedConfig], states: [FeedState]) throws -> PollCycleReport {
        let start = DispatchTime.now().uptimeNanoseconds
        var byID: [String: (FeedConfig, FeedState)] = [:]
        for (feed, state) in zip(feeds, states) { byID[feed.id] = (feed, state) }
        let requests = zip(feeds, states).map { feed, state in
            FetchRequest(id: feed.id, url: state.url, etag: state.etag, lastModified: state.lastModified)
        }
        let fetcher = FeedFetcher(policy: Self.fetchPolicy(configuration.daemon), clock: clock, logger: logger)
        var reports: [String: FeedPollReport] = [:]
        var storageError: Error? = nil
        _ = fetcher.fetch(requests) { result in
            guard storageError == nil, let (feed, state) = byID[result.id] else { return }
            do {
                reports[feed.id] = try self.record(result, feed: feed, state: state)
            } catch {
                storageError = error
                self.logger.error("storage failed; stopping this poll", metadata: ["feed": "\(feed.id)", "error": "\(error)"])
            }
        }
        if let storageError { throw storageError }
        let elapsed = Int((DispatchTime.now().uptimeNanoseconds - start) / 1_000_000)
        return PollCycleReport(feeds: feeds.compactMap { reports[$0.id] }, durationMs: elapsed)
    }

    /// Turns one fetch result into stored state (and entries), then feeds the sink.
    func record(_ result: FetchResult, feed: FeedConfig, state old: FeedState) throws -> FeedPollReport {
        let now = clock.now()
        let schedule = schedule(for: feed)
        var state = old
        state.lastAttempt = now
        state.lastStatus = result.status
        state.lastBytes = result.bytes
        state.lastDurationMs = Int((result.duration * 1000).rounded())
        var report = FeedPollReport(feedID: feed.id, result: .failed, status: result.status, newCount: 0, updatedCount: 0,
                                    bytes: result.bytes, durationMs: state.lastDurationMs ?? 0, error: nil, stale: false,
                                    movedTo: nil, nextDue: nil, consecutiveFailures: 0)
        var accepted: [AcceptedEntry] = []

        func succeed(ttlFloor: TimeInterval?) {
            if let moved = result.permanentURL, moved != state.url {
                logger.notice("feed moved permanently; polling the new URL from now on",
                              metadata: ["feed": "\(feed.id)", "from": "\(state.url)", "to": "\(moved)"])
                state.url = moved
                report.movedTo = moved
            }
            state.consecutiveFailures = 0
            state.lastError = nil
            state.lastSuccess = now
            if let ttlFloor { state.ttlFloor = ttlFloor }
            state.nextDue = schedule.nextAfterSuccess(now: now, ttlFloor: state.ttlFloor, random: random())
        }

        func fail(_ message: String, retryAfter: TimeInterval? = nil) {
            state.consecutiveFailures += 1
            state.lastError = message
            state.nextDue = schedule.nextAfterFailure(now: now, failures: state.consecutiveFailures,
                                                      retryAfter: retryAfter, random: random())
            report.error = message
            logger.warning("poll failed", metadata: [
                "feed": "\(feed.id)", "url": "\(state.url)", "error": "\(message)",
                "failures": "\(state.consecutiveFailures)", "retry_at": "\(ISO8601.string(state.nextDue ?? now))",
            ])
        }

        switch result.outcome {
        case .notModified:
            if let etag = result.etag { state.etag = etag }
            if let lastModified = result.lastModified { state.lastModified = lastModified }
            succeed(ttlFloor: result.maxAge.map { max($0, state.ttlFloor ?? 0) })
            report.result = .notModified
            try store.save(state)

        case .document(let data):
            let parsed = parser.parse(data, documentURL: result.finalURL, httpCharset: result.charset)
            if let problem = Self.documentProblem(parsed, data: data, contentType: result.contentType) {
                fail(problem)
                try store.save(state)
            } else {
                state.etag = result.etag
                state.lastModified = result.lastModified
                succeed(ttlFloor: PollSchedule.ttlFloor(ttlMinutes: parsed.feed.ttlMinutes, maxAge: result.maxAge) ?? 0)
                if !parsed.wellFormed {
                    logger.info("feed is not well-formed; stored what could be read",
                                metadata: ["feed": "\(feed.id)", "problems": "\(parsed.problems.prefix(3).joined(separator: "; "))"])
                }
                let ingest = try store.commitPoll(FeedIdentity(feed), state: state, entries: parsed.entries, now: now)
                state = try store.state(of: feed.id) ?? state
                report.result = .fetched
                report.newCount = ingest.newCount
                report.updatedCount = ingest.updatedCount
                accepted = ingest.accepted
            }

        case .failed(let failure):
            if failure == .httpStatus(410) {
                state.disabledReason = "410 Gone at \(ISO8601.string(now)) from \(state.url)"
                state.lastError = "HTTP 410 Gone"
                state.consecutiveFailures += 1
                state.nextDue = nil
                report.result = .disabled
                report.error = "HTTP 410 Gone: feed disabled (change its url in feeds.conf to re-enable)"
                logger.error("feed is gone (410); disabled until its URL changes in feeds.conf",
                             metadata: ["feed": "\(feed.id)", "url": "\(state.url)"])
            } else {
                let honoursRetryAfter = failure == .httpStatus(429) || failure == .httpStatus(503)
                fail(failure.description, retryAfter: honoursRetryAfter ? result.retryAfter : nil)
            }
            try store.save(state)
        }

        report.nextDue = state.nextDue
        report.consecutiveFailures = state.consecutiveFailures
        report.stale = state.isStale(now: now, staleAfter: feed.effectiveStaleAfter(configuration.daemon))
        if report.stale {
            logger.notice("feed is stale", metadata: ["feed": "\(feed.id)", "newest_item": "\(state.newestItem.map(ISO8601.string) ?? "?")"])
        }
        if !accepted.isEmpty, let sink {
            do { try sink.accept(accepted, at: now) } catch {
                // Entries are committed; the sink is idempotent per entry and may be re-fed on replay.
                logger.error("entry sink failed", metadata: ["feed": "\(feed.id)", "entries": "\(accepted.count)", "error": "\(error)"])
                report.error = [report.error, "analysis: \(error)"].compactMap { $0 }.joined(separator: "; ")
            }
        }
        return report
    }

    /// Why a 2xx body is not a usable feed (empty, HTML, unreadable), or nil when it is one.
    static func documentProblem(_ parsed: ParsedFeed, data: Data, contentType: String?) -> String? {
        if data.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) { return "empty body" }
        guard parsed.format == .unknown else { return nil }
        let type = contentType.map { " (\($0))" } ?? ""
        let head = data.prefix(sniffLength).lowercased()
        if head.contains("<html") || head.contains("<!doctype html") {
            return "HTML page instead of a feed\(type)"
        }
        return "not a feed\(type): \(parsed.problems.first ?? "no RSS/Atom/JSON Feed root")"
    }
}

private extension Data.SubSequence {
    func lowercased() -> String { String(decoding: self, as: UTF8.self).lowercased() }
}
