import DyadConfig
import DyadCore
import FeedFetching
import FeedParsing
import FeedStorage
import Foundation
import Logging
import Telemetry

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
    /// Shared with the page queue: feed transfers count towards the per-host limit pages respect.
    let hostActivity: HostActivity?
    /// Set when this process shares the feed list with daemons (PostgreSQL): `pollOnce` claims
    /// each feed before polling it, as they do (`PollClaims`). The daemon claims feeds itself.
    let leasing: (any FeedLeasing)?
    let parser = FeedParser()
    /// Bytes of a non-feed body inspected to tell an HTML page from other junk.
    static let sniffLength = 512

    /// Whether each failed poll gets its own warning line here. The daemon turns it off: its
    /// scheduler logs one line per poll outcome (with the next due time) instead.
    let logsFailures: Bool

    public init(configuration: Configuration, store: any FeedStoring, sink: (any EntrySink)? = nil,
                clock: any WallClock = SystemClock(), logger: Logger = Logger(label: "dyadwatch.poll"),
                logsFailures: Bool = true,
                random: @escaping @Sendable () -> Double = { Double.random(in: 0...1) },
                hostActivity: HostActivity? = nil, leasing: (any FeedLeasing)? = nil) {
        self.configuration = configuration; self.store = store; self.sink = sink; self.clock = clock
        self.logger = logger; self.logsFailures = logsFailures; self.random = random; self.hostActivity = hostActivity
        self.leasing = leasing
    }

    /// The fetch limits of `[daemon]`.
    public static func fetchPolicy(_ daemon: DaemonConfig) -> FetchPolicy {
        FetchPolicy(concurrency: daemon.concurrency, perHostConcurrency: daemon.perHostConcurrency,
                    connectTimeout: daemon.connectTimeout, timeout: daemon.timeout, lowSpeedLimit: daemon.lowSpeedLimit,
                    lowSpeedTime: daemon.lowSpeedTime, maxBody: daemon.maxBody, maxRedirects: daemon.maxRedirects,
                    userAgent: daemon.userAgent)
    }

    /// The single scheduling policy, with this feed's interval and the daemon's backoff ceiling.
    public func schedule(for feed: FeedConfig) -> PollSchedule {
        PollSchedule(interval: feed.effectiveInterval(configuration.daemon), maxBackoff: configuration.daemon.maxBackoff)
    }

    /// Which feeds a poll at `now` takes. Without `all`: those due. With `all`: every enabled feed,
    /// except those whose next poll the server or a failure set (Retry-After, backoff) and those
    /// gone (410) — listed in `held`; `force` polls the held ones too (not the gone ones) and
    /// lists them in `forced`. `only` restricts to these ids (and implies `all`).
    private func select(at now: Date, all: Bool, force: Bool, only: Set<String>?)
        throws -> (due: [(FeedConfig, FeedState)], held: [HeldFeed], forced: [HeldFeed]) {
        let states = Dictionary(uniqueKeysWithValues: try store.register(configuration.feeds).map { ($0.id, $0) })
        let all = all || only != nil
        var due: [(FeedConfig, FeedState)] = [], held: [HeldFeed] = [], forced: [HeldFeed] = []
        for feed in configuration.enabledFeeds where only?.contains(feed.id) ?? true {
            guard let state = states[feed.id] else { continue }
            let lastError = state.lastError.map { message in state.lastErrorClass.map { "\($0): \(message)" } ?? message }
            if let reason = state.disabledReason {
                if all { held.append(HeldFeed(feedID: feed.id, reason: .gone, until: nil, lastError: reason)) }
                continue
            }
            if state.isDue(at: now) { due.append((feed, state)); continue }
            guard all else { continue }
            // Rows written before reasons were stored: a failing feed is in backoff.
            let reason = state.nextDueReason.flatMap(ScheduleReason.init(rawValue:))
                ?? (state.consecutiveFailures > 0 ? .backoff : .interval)
            guard reason.holdsManualPolls else { due.append((feed, state)); continue }
            let hold = HeldFeed(feedID: feed.id, reason: reason, until: state.nextDue, lastError: lastError)
            if force { forced.append(hold); due.append((feed, state)) } else { held.append(hold) }
        }
        return (due, held, forced)
    }

    /// Earliest next-due time over the enabled, active feeds (nil = none scheduled): the daemon sleeps until then.
    public func nextDueDate() throws -> Date? {
        let enabled = Set(configuration.enabledFeeds.map(\.id))
        return try store.states().filter { enabled.contains($0.id) && $0.disabledReason == nil }
            .map { $0.nextDue ?? .distantPast }.min()
    }

    /// Polls the feeds due now; with `all` every enabled feed the schedule does not hold (see
    /// `select`), with `force` the held ones too; `only` restricts to these feed ids.
    /// With `leasing`, each feed is claimed first; feeds another daemon holds (or polled
    /// meanwhile) are not polled and are listed in `claimedElsewhere`.
    public func pollOnce(all: Bool = false, force: Bool = false, only: Set<String>? = nil) throws -> PollCycleReport {
        let now = clock.now()
        let selection = try select(at: now, all: all, force: force, only: only)
        var due = selection.due
        var elsewhere: [ClaimedElsewhere] = []
        let claims = leasing.map { PollClaims(leasing: $0, logger: logger) }
        if let claims { (due, elsewhere) = try claims.claim(due, now: now, anyTime: all || only != nil) }
        for hold in selection.forced where !elsewhere.contains(where: { $0.feedID == hold.feedID }) {
            logger.notice("--force: polling a feed the schedule holds", metadata: [
                "feed": "\(hold.feedID)", "reason": "\(hold.reason.rawValue)",
                "until": "\(hold.until.map(ISO8601.string) ?? "-")",
            ])
        }
        let cycle = { [self] in try poll(due.map(\.0), states: due.map(\.1)) }
        var report = try claims.map { try $0.holding(due.map(\.0.id), cycle) } ?? cycle()
        report.held = selection.held
        report.forced = selection.forced.filter { hold in !elsewhere.contains { $0.feedID == hold.feedID } }
        report.claimedElsewhere = elsewhere
        return report
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
        let hosts = requests.map { HostSlots.key($0.url) }
        let tokens = hostActivity.map { activity in hosts.map { activity.enter($0) } } ?? []
        defer { if let hostActivity { for (host, token) in zip(hosts, tokens) { hostActivity.leave(host, token: token) } } }
        var reports: [String: FeedPollReport] = [:]
        var storageError: Error? = nil
        _ = fetcher.fetch(requests) { result in
            guard storageError == nil, let (feed, state) = byID[result.id] else { return }
            do {
                let report = try self.record(result, feed: feed, state: state)
                reports[feed.id] = report
                Telemetry.pollFinished(feed: feed.id, result: report.result.metricLabel, seconds: result.duration, bytes: report.bytes, new: report.newCount, updated: report.updatedCount)
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
        let base: Logger.Metadata = ["feed": "\(feed.id)", "url": "\(state.url)"]

        func reschedule(_ input: ScheduleInput) {
            let decision = schedule.next(after: input, now: now, random: random())
            state.nextDue = decision.due
            state.nextDueReason = decision.reason.rawValue
            report.scheduleReason = decision.reason
        }

        func succeed(ttlFloor: TimeInterval?) {
            if let moved = result.permanentURL, moved != state.url {
                logger.notice("feed moved permanently; polling the new URL from now on",
                              metadata: ["feed": "\(feed.id)", "from": "\(state.url)", "to": "\(moved)"])
                state.url = moved
                report.movedTo = moved
            }
            state.consecutiveFailures = 0
            state.lastError = nil
            state.lastErrorClass = nil
            state.lastSuccess = now
            state.lastProblems = nil
            if let ttlFloor { state.ttlFloor = ttlFloor }
            reschedule(.success(ttlFloor: state.ttlFloor))
        }

        func fail(_ errorClass: FeedErrorClass, _ message: String, retryAfter: TimeInterval? = nil) {
            state.consecutiveFailures += 1
            state.lastError = message
            state.lastErrorClass = errorClass.rawValue
            state.lastProblems = nil
            if errorClass == .gone {
                state.disabledReason = "410 Gone at \(ISO8601.string(now)) from \(state.url)"
                reschedule(.gone)
                report.result = .disabled
            } else {
                reschedule(.failure(failures: state.consecutiveFailures, retryAfter: retryAfter))
            }
            report.error = message
            report.errorClass = errorClass
            guard logsFailures else { return }
            let line = base.merging([
                "status": "\(result.status.map(String.init) ?? "-")", "ms": "\(state.lastDurationMs ?? 0)",
                "bytes": "\(result.bytes)", "error": "\(message)", "error_class": "\(errorClass.rawValue)",
                "failures": "\(state.consecutiveFailures)", "reason": "\(report.scheduleReason.rawValue)",
                "retry_at": "\(state.nextDue.map(ISO8601.string) ?? "never")",
            ]) { $1 }
            if errorClass == .gone {
                logger.error("feed is gone (410); disabled until its URL changes in feeds.conf", metadata: line)
            } else {
                logger.warning("poll failed", metadata: line)
            }
        }

        switch result.outcome {
        case .notModified:
            if let etag = result.etag { state.etag = etag }
            if let lastModified = result.lastModified { state.lastModified = lastModified }
            succeed(ttlFloor: result.maxAge.map { max($0, state.ttlFloor ?? 0) })
            report.result = .notModified
            try store.save(state)

        case .document(let data):
            // The parser itself keeps only the newest max_items entries, so memory follows the limit, not the document.
            var limits = parser.limits
            limits.maxEntries = feed.effectiveMaxItems(configuration.daemon)
            let parsed = FeedParser(limits: limits).parse(data, documentURL: result.finalURL, httpCharset: result.charset)
            if let (errorClass, problem) = Self.documentProblem(parsed, data: data, contentType: result.contentType) {
                fail(errorClass, problem)
                try store.save(state)
            } else {
                state.etag = result.etag
                state.lastModified = result.lastModified
                succeed(ttlFloor: PollSchedule.ttlFloor(ttlMinutes: parsed.feed.ttlMinutes, maxAge: result.maxAge) ?? 0)
                let entries = cap(parsed, feed: feed, report: &report)
                if !parsed.wellFormed {
                    logger.info("feed is not well-formed; stored what could be read",
                                metadata: ["feed": "\(feed.id)", "problems": "\(parsed.problems.prefix(3).joined(separator: "; "))"])
                }
                if parsed.truncated {
                    report.problems.append(PollProblem.truncated)
                    logger.warning("document ended before it was complete (truncated body); stored the complete items only",
                                   metadata: base.merging(["bytes": "\(result.bytes)", "unfinished": "\(parsed.unfinishedEntries)",
                                                           "kept": "\(entries.count)", "problem": "\(PollProblem.truncated)"]) { $1 })
                }
                state.lastProblems = report.problems.isEmpty ? nil : report.problems.joined(separator: ",")
                let ingest = try store.commitPoll(identity(feed), state: state, entries: entries, now: now)
                state = try store.state(of: feed.id) ?? state
                if ingest.duplicateCount > 0 {
                    report.problems.append(PollProblem.duplicateIDs)
                    var metadata = base.merging(["duplicates": "\(ingest.duplicateCount)", "items": "\(entries.count)",
                                                 "dedup_key": "\(feed.dedupKey?.rawValue ?? "auto")",
                                                 "problem": "\(PollProblem.duplicateIDs)"]) { $1 }
                    if feed.dedupKey == nil || feed.dedupKey == .guid {
                        metadata["hint"] = "if these are different stories, set dedup_key = \"link\" for this feed"
                    }
                    logger.warning("items repeat the id of an earlier item in the same document; kept the first of each",
                                   metadata: metadata)
                    state.lastProblems = report.problems.joined(separator: ",")
                    try store.save(state)
                }
                if ingest.queueFullCount > 0 {
                    logger.warning("fulltext_failed", metadata: [
                        "feed": "\(feed.id)", "class": "\(FulltextStatus.queueFull.rawValue)", "entries": "\(ingest.queueFullCount)",
                        "queue_limit": "\(configuration.section(FulltextConfig.self).queueLimit)",
                    ])
                }
                report.result = .fetched
                report.newCount = ingest.newCount
                report.updatedCount = ingest.updatedCount
                accepted = ingest.accepted
            }

        case .failed(let failure):
            let honoursRetryAfter = failure == .httpStatus(429) || failure == .httpStatus(503)
            let message = failure.errorClass == .gone
                ? "HTTP 410 Gone: feed disabled (change its url in feeds.conf to re-enable)" : failure.description
            fail(failure.errorClass, message, retryAfter: honoursRetryAfter ? result.retryAfter : nil)
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

    /// How `feed`'s entries are stored; a `fulltext = true` feed's new entries are queued for their page.
    public func identity(_ feed: FeedConfig) -> FeedIdentity {
        FeedIdentity(feed, fulltext: configuration.section(FulltextConfig.self))
    }

    /// The entries one poll stores: at most the feed's `max_items`, the newest first (one warning when cut).
    private func cap(_ parsed: ParsedFeed, feed: FeedConfig, report: inout FeedPollReport) -> [FeedEntry] {
        let limit = feed.effectiveMaxItems(configuration.daemon)
        let total = parsed.entries.count + parsed.entriesBeyondLimit
        guard total > limit else { return parsed.entries }
        let kept = ItemCap.newest(parsed.entries, limit: limit)
        report.problems.append(PollProblem.tooManyItems)
        logger.warning("feed has more items than max_items; stored the newest, dropped the rest", metadata: [
            "feed": "\(feed.id)", "items": "\(total)", "kept": "\(kept.count)",
            "dropped": "\(total - kept.count)", "max_items": "\(limit)", "problem": "\(PollProblem.tooManyItems)",
        ])
        return kept
    }

    /// Why a 2xx body is not a usable feed (empty, HTML, unreadable), with its class; nil when it is one.
    static func documentProblem(_ parsed: ParsedFeed, data: Data, contentType: String?) -> (FeedErrorClass, String)? {
        if data.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) { return (.empty, "empty body") }
        guard parsed.format == .unknown else { return nil }
        let type = contentType.map { " (\($0))" } ?? ""
        let head = data.prefix(sniffLength).lowercased()
        if head.contains("<html") || head.contains("<!doctype html") {
            return (.notAFeed, "HTML page instead of a feed\(type)")
        }
        let detail = parsed.problems.first ?? "no RSS/Atom/JSON Feed root"
        if parsed.problems.contains(where: { $0.hasPrefix("root element <") || $0.hasPrefix("JSON ") }) {
            return (.notAFeed, "not a feed\(type): \(detail)")     // well-formed, but another vocabulary
        }
        if parsed.problems.contains("could not decode the document") {
            return (.encodingError, "undecodable text\(type): \(detail)")
        }
        if !head.contains("<") && !head.contains("{") { return (.notAFeed, "not a feed\(type): no markup") }
        return (.parseError, "unreadable feed\(type): \(detail)")
    }
}

/// Names of the problems a successful poll can have (`problems=` in the log, `feeds.last_problems`).
public enum PollProblem {
    /// The body ended inside the document; items it ended inside were not stored.
    public static let truncated = "truncated"
    /// More items than `max_items`; the oldest were dropped.
    public static let tooManyItems = "too_many_items"
    /// Items repeating an id (dedup key) of an earlier item in the same document; kept once.
    public static let duplicateIDs = "duplicate_ids"
}

private extension Data.SubSequence {
    func lowercased() -> String { String(decoding: self, as: UTF8.self).lowercased() }
}
