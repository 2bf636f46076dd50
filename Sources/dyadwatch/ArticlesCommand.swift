import ArgumentParser
import DyadConfig
import DyadCore
import Daemon
import Foundation
import Pipeline

/// `dyadwatch articles`: what was stored and what the analyzer made of it.
struct ArticlesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "articles",
        abstract: "List stored articles with the analyzer's verdict: dyad, stance and its top cue, frames.",
        discussion: """
            Newest first. A table on a terminal, JSON lines otherwise (or with --jsonl). Reads the state \
            database read-only; the daemon may be running.
            """)

    @OptionGroup var options: ConfigOptions

    @Option(name: .long, help: "Start of the window: \(TimeWindowOption.help).")
    var since: String = "7d"
    @Option(name: .long, help: "End of the window (exclusive), same forms; default now.")
    var until: String?
    @Option(name: .long, help: "Only this feed id.")
    var feed: String?
    @Flag(name: .long, help: "Only articles about China and Russia together.")
    var dyad = false
    @Option(name: .long, help: "Only China–Russia articles with this stance: supportive, neutral or critical.")
    var stance: StanceLabel?
    @Option(name: .long, help: "At most this many articles.")
    var limit: Int = 200
    @Flag(name: .long, help: "JSON lines even on a terminal.")
    var jsonl = false

    func validate() throws {
        let now = Date()
        guard TimeWindowOption.parse(since, now: now) != nil else { throw ValidationError("--since: expected \(TimeWindowOption.help)") }
        if let until, TimeWindowOption.parse(until, now: now) == nil { throw ValidationError("--until: expected \(TimeWindowOption.help)") }
        guard limit > 0 else { throw ValidationError("--limit must be positive") }
    }

    func run() async throws {
        let configuration = try options.load()
        if let feed, !configuration.feeds.contains(where: { $0.id == feed }) {
            StandardError.print("warning: feed \"\(feed)\" is not in \(options.resolvedPath); listing what is stored under that id")
        }
        let now = Date()
        var filter = ArticleListing.Filter(from: TimeWindowOption.parse(since, now: now)!,
                                           to: until.flatMap { TimeWindowOption.parse($0, now: now) } ?? now.addingTimeInterval(1), feedID: feed)
        filter.dyadOnly = dyad
        filter.stance = stance
        filter.limit = limit
        let rows: [ArticleListing.Row]
        let state = ReadOnlyState(configuration: configuration)
        defer { state.close() }
        do {
            guard let stores = try state.open() else {
                StandardError.print("no state yet (\(configuration.daemon.stateDir.path) or [storage] url): the daemon has not run with this configuration")
                return
            }
            rows = try ArticleListing(configuration: configuration).rows(stores, filter)
        } catch {
            StandardError.print("cannot read the state database (\(ReportCommand.location(configuration))): \(error)")
            throw ExitCode(1)
        }
        if jsonl || isatty(STDOUT_FILENO) == 0 {
            let encoder = DyadJSON.encoder()
            for r in rows { FileHandle.standardOutput.write(try encoder.encode(r) + Data("\n".utf8)) }
        } else {
            print(ArticleTable.render(rows, width: ArticleTable.terminalWidth()), terminator: "")
            if rows.count == limit { StandardError.print("(first \(limit); use --limit or a narrower window for more)") }
        }
    }
}

extension StanceLabel: ExpressibleByArgument {}
