import Alerts
import ArgumentParser
import DyadConfig
import Daemon
import DyadCore
import Foundation
import Trends
import TrendReport

/// `dyadwatch report`: the trend page (self-contained HTML) from the state database, on demand.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write the trend page (one self-contained HTML file) from the state database.",
        discussion: """
            The same page the daemon keeps as trends_dir/index.html, for any window and scope. It needs no \
            network to open: charts are inline SVG, every alert is a marker carrying its alerts.jsonl id.
            """)

    @OptionGroup var options: ConfigOptions

    @Option(name: .long, help: "Output file ('-' for standard output).")
    var out: String = "dyadwatch-report.html"

    @Option(name: .long, help: "Start of the window: \(TimeWindowOption.help). Default: everything in the database.")
    var since: String?

    @Option(name: .long, help: "all (broken down by outlet group), group:NAME or outlet:SLUG.")
    var scope: String = "all"

    func validate() throws {
        guard scope == "all" || scope.hasPrefix("group:") || scope.hasPrefix("outlet:") else {
            throw ValidationError("--scope must be all, group:NAME or outlet:SLUG")
        }
        if let since, TimeWindowOption.parse(since, now: Date()) == nil { throw ValidationError("--since: expected \(TimeWindowOption.help)") }
    }

    func run() async throws {
        let configuration = try options.load()
        let now = Date()
        var query = TrendPageQuery(scope: scope, since: Int64.min)
        if let since, let date = TimeWindowOption.parse(since, now: now) { query.since = Granularity.day.bucketStart(date) }
        let html: String
        let state = ReadOnlyState(configuration: configuration)
        defer { state.close() }
        do {
            guard let stores = try state.open() else {
                StandardError.print("no state yet (\(configuration.daemon.stateDir.path) or [storage] url): the page says so")
                return try write(TrendPage.emptyHTML(scope: scope, now: now))
            }
            html = try stores.analysis.read { try TrendPage.html($0, engine: TrendEngine(), now: now, query: query) }
        } catch {
            StandardError.print("cannot read the state database (\(Self.location(configuration))): \(error)")
            throw ExitCode(1)
        }
        try write(html)
    }

    /// Where the state is, for messages (never a password).
    static func location(_ configuration: DyadConfig.Configuration) -> String {
        configuration.section(StorageConfig.self).url?.redacted ?? configuration.daemon.stateDir.path
    }

    private func write(_ html: String) throws {
        if out == "-" { FileHandle.standardOutput.write(Data(html.utf8)); return }
        do {
            try AtomicFile.write(Data(html.utf8), to: URL(fileURLWithPath: out))  // corelibs' .atomic leaves a directory in /tmp
        } catch {
            StandardError.print("cannot write \(out): \(error.localizedDescription)")
            throw ExitCode(1)
        }
        StandardError.print("wrote \(out)")
    }
}
