import ArgumentParser
import Daemon
import ArticleAnalysis
import DyadConfig
import DyadCore
import Foundation
import Logging
import Pipeline
import Trends

/// `dyadwatch replay --feeds DIR [--pages DIR] [--out DIR] [--config PATH] [--fresh]`: feeds saved snapshots
/// (`FEED_ID/YYYYMMDDTHHMMSSZ.xml`) through the live pipeline with a simulated clock and writes
/// alerts and trend files under the output directory. The offline demo.
struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Replay saved feed snapshots through the pipeline with a simulated clock.",
        discussion: """
        DIR holds one folder per feed, named by the feed's id in the configuration, with snapshots \
        named by their UTC time: DIR/globaltimes/20220219T031829Z.xml. Snapshots are processed in \
        global time order with the clock set to each snapshot's time; a folder matching no [[feed]] \
        is replayed with group "other". Outputs: OUT/logs/alerts.log, OUT/logs/alerts.jsonl, \
        OUT/trends/{hourly.csv,daily.csv,latest.json}, state in OUT/state. The same input gives \
        byte-identical outputs; rerunning over an existing OUT continues without duplicating alerts \
        (use --fresh to start over). The on_alert command is not run during a replay.

        With --pages PAGES_DIR, entries of feeds with fulltext = true get their article page from \
        PAGES_DIR/index.tsv (URL<TAB>relative/path.html per line, .html.gz allowed) instead of the \
        web, honouring an optional PAGES_DIR/robots.tsv of disallowed URL prefixes; the page is \
        extracted, stored and analyzed exactly as the daemon does. Links not in the index are \
        counted as absent and keep their feed text. See docs/fulltext.md.
        """)

    @Option(name: .long, help: "Directory of FEED_ID/TIMESTAMP.xml snapshots.")
    var feeds: String

    @Option(name: .long, help: "Output directory (state, logs, trends).")
    var out: String = "replay-out"

    @Option(name: .long, help: "Archive of saved article pages (index.tsv, optional robots.tsv) for fulltext = true feeds.")
    var pages: String?

    @OptionGroup var configOptions: ConfigOptions

    @Flag(name: .long, help: "Remove earlier replay state and outputs in the output directory first.")
    var fresh = false

    func run() async throws {
        let configuration = try configOptions.load()
        let feedsURL = URL(fileURLWithPath: feeds)
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: feedsURL.path, isDirectory: &isDir), isDir.boolValue else {
            throw ValidationError("--feeds \(feeds): no such directory")
        }
        let fulltext = configuration.section(FulltextConfig.self)
        var archive: PageArchive? = nil
        if let pages {
            do { archive = try PageArchive(directory: URL(fileURLWithPath: pages), maxBody: fulltext.maxBody) } catch {
                throw ValidationError("--pages \(pages): \(error)")
            }
            if !configuration.feeds.contains(where: \.fulltext) {
                StandardError.print("replay: warning: --pages given but no [[feed]] has fulltext = true; pages are not used")
            }
        }
        let layout = ReplayRunner.Layout(root: URL(fileURLWithPath: out))
        if fresh {
            // --fresh promises a clean start: a directory that exists but cannot be removed is an error.
            for dir in [layout.stateDir, layout.logDir, layout.trendsDir] where FileManager.default.fileExists(atPath: dir.path) {
                try FileManager.default.removeItem(at: dir)
            }
        }
        let analyzer = try AnalyzeCommand.makeAnalyzer(dataDir: configuration.analysis.dataDir, model: configuration.analysis.model)
        var logger = Logger(label: "dyadwatch.replay")
        logger.logLevel = .warning
        let terminal = isatty(STDERR_FILENO) != 0
        let started = Date()
        let runner = ReplayRunner(
            feedsDirectory: feedsURL, layout: layout, feeds: configuration.feeds,
            parameters: DetectorParameters(configuration), analyze: { analyzer.analyze($0) }, logger: logger,
            progress: terminal ? { i, n, snap, s in
                let line = "\r\u{1B}[K[\(i)/\(n)] \(ISO8601.string(snap.time)) \(snap.feedID): \(s.newEntries) entries, \(s.alerts) alerts"
                FileHandle.standardError.write(Data(line.utf8))
                if i == n { FileHandle.standardError.write(Data("\n".utf8)) }
            } : nil)
        var replay = runner
        replay.maxItems = configuration.daemon.maxItems
        replay.pages = archive
        replay.fulltext = fulltext
        if configuration.section(StorageConfig.self).url != nil {
            // [storage] url: the replay's state goes to that PostgreSQL database (outputs still under --out).
            replay.openState = { _ in try StateOpening.open(configuration) }
        }
        let summary = try replay.run()
        let seconds = Date().timeIntervalSince(started)
        StandardError.print("replay: \(summary.snapshots) snapshots, \(summary.newEntries) new and \(summary.updatedEntries) changed entries, \(summary.analyzed) analyzed, \(summary.alerts) alerts in \(String(format: "%.1f", seconds)) s")
        if archive != nil {
            let counts = FulltextStatus.allCases.compactMap { s in summary.pages[s].map { "\($0) \(s.rawValue)" } }
            StandardError.print("replay: pages: \(counts.isEmpty ? "none requested" : counts.joined(separator: ", "))")
        }
        print("alerts: \(layout.logDir.appendingPathComponent("alerts.log").path)")
        print("trends: \(layout.trendsDir.path)")
    }
}
