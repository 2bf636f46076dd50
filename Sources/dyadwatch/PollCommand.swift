import ArgumentParser
import Daemon
import DyadConfig
import DyadCore
import FeedStorage
import Foundation
import Logging
import Pipeline

/// `dyadwatch poll --once`: one poll cycle of the due feeds (or all), one line per feed and a total.
struct PollCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "poll",
        abstract: "Poll due feeds once and store new entries.",
        discussion: """
        Prints one line per feed polled (result, HTTP status, new and updated entries, bytes, \
        milliseconds, STALE when the newest item is older than stale_after, problems, error class \
        and error) and a total. With --all, feeds whose next poll a server's Retry-After, a \
        failure backoff or a 410 set are skipped and listed with the time they are held until; \
        --force polls them anyway (not the 410 ones) and lists them as forced. \
        Exit status 0 when the cycle completed, even if feeds failed; 2 for an invalid \
        configuration; 1 for a storage error.
        """)

    @OptionGroup var options: ConfigOptions

    @Flag(name: .long, help: "Run a single poll cycle and exit (required: continuous polling is `dyadwatch run`).")
    var once = false

    @Flag(name: .long, help: "Poll every enabled feed, not only those due (except those a Retry-After or backoff holds).")
    var all = false

    @Flag(name: .long, help: "With --all or --feed: also poll feeds a Retry-After or failure backoff holds.")
    var force = false

    @Option(name: .long, help: "Poll only this feed id (repeatable); implies --all for those feeds.")
    var feed: [String] = []

    func validate() throws {
        guard once else {
            throw ValidationError("`poll` runs one cycle: pass --once (continuous polling is `dyadwatch run`)")
        }
        if force && !all && feed.isEmpty {
            throw ValidationError("--force overrides holds of --all or --feed: pass one of them")
        }
    }

    func run() async throws {
        let configuration = try options.load()
        if let unknown = feed.first(where: { id in !configuration.feeds.contains { $0.id == id } }) {
            throw ValidationError("no [[feed]] with id \"\(unknown)\" in \(options.resolvedPath)")
        }
        var logger = Logger(label: "dyadwatch.poll") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = Logger.Level(rawValue: configuration.daemon.logLevel) ?? .info
        let state: StateStores
        do {
            state = try StateOpening.openForPoll(configuration)
        } catch {
            StandardError.print("dyadwatch: cannot open the state (\(configuration.daemon.stateDir.path) or [storage] url): \(error)")
            throw ExitCode.failure
        }
        defer { state.close() }
        // On PostgreSQL each feed is claimed as the daemons claim it: a feed a running daemon
        // holds is skipped (docs/storage.md).
        let poller = FeedPoller(configuration: configuration, store: state.feeds, logger: logger, leasing: state.leasing)
        let report: PollCycleReport
        do {
            report = try poller.pollOnce(all: all, force: force, only: feed.isEmpty ? nil : Set(feed))
        } catch {
            StandardError.print("dyadwatch: storage error: \(error)")
            throw ExitCode.failure
        }
        let width = (report.feeds.map(\.feedID) + report.held.map(\.feedID) + report.claimedElsewhere.map(\.feedID))
            .map(\.count).max() ?? 0
        for hold in report.forced { print(hold.line(forced: true, idWidth: width)) }
        for line in report.feeds { print(line.line(idWidth: width)) }
        for hold in report.held { print(hold.line(forced: false, idWidth: width)) }
        for other in report.claimedElsewhere { print(other.line(idWidth: width)) }
        if report.feeds.isEmpty, report.claimedElsewhere.isEmpty, let next = try? poller.nextDueDate() {
            print("no feed is due; next due at \(ISO8601.string(next)) (use --all to poll now)")
        }
        print(report.totalLine + (report.held.isEmpty ? "" : "; \(report.held.count) held (see skipped lines)")
              + (report.claimedElsewhere.isEmpty ? "" : "; \(report.claimedElsewhere.count) left to other daemons (see skipped lines)"))
    }
}
