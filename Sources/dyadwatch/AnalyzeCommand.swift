import ArgumentParser
import ArticleAnalysis
import DyadConfig
import DyadCore
import Foundation

/// `dyadwatch analyze [--jsonl] [FILE|-]...`: runs the article analyzer on plain text, HTML or
/// JSON lines and prints a readable report or one JSON object per article.
struct AnalyzeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Analyze articles: entities, dyad, stance, tone, frames.",
        discussion: """
        Input: plain text (first line = title), HTML (tags stripped) or JSON lines \
        {"id","title","text","outlet","published"}. With no FILE, or '-', reads standard input.
        """)

    @Flag(name: .long, help: "Print one JSON object per article (the schema of shared/eval/README.md).")
    var jsonl = false

    @Option(name: .long, help: "Extra directory of gazetteer-*.txt / lexicon-*.txt files (feeds.conf [analysis] data_dir).")
    var dataDir: String?

    @Option(name: .long, help: "Take [analysis] data_dir from this feeds.conf (only when given; --data-dir wins).")
    var config: String?

    @Flag(name: .long, help: "Analyze without printing results; print article count, bytes and analysis throughput (thread CPU time) to stderr.")
    var timing = false

    @Argument(help: "Input files; '-' or none for standard input.")
    var files: [String] = []

    func run() async throws {
        var extra = dataDir.map { URL(fileURLWithPath: $0) }
        if extra == nil, let config {
            let check = ConfigurationLoader.check(path: config, parser: ConfigOptions.parser)
            for diagnostic in check.diagnostics { StandardError.print(diagnostic.description) }
            guard let configuration = check.configuration else {
                StandardError.print("\(config): \(check.errors.count) error(s); fix them and run `dyadwatch check-config`")
                throw ExitCode(ConfigOptions.invalidConfigExitCode)
            }
            extra = configuration.analysis.dataDir
        }
        let analyzer: Analyzer
        do {
            analyzer = try Analyzer(extraDataDirectory: extra)
        } catch let e as AnalysisDataError {
            throw ValidationError("analysis data: \(e.description)")
        }
        let out = OutputBuffer()
        let encoder = DyadJSON.encoder()
        let color = !jsonl && isatty(STDOUT_FILENO) != 0
        var failures = 0
        var articles = 0, bytes = 0
        var seconds = 0.0
        for name in files.isEmpty ? ["-"] : files {
            let input: [UInt8]
            if name == "-" {
                input = [UInt8](FileHandle.standardInput.readDataToEndOfFile())
            } else {
                guard let data = FileManager.default.contents(atPath: name) else {
                    FileHandle.standardError.write(Data("dyadwatch analyze: cannot read \(name)\n".utf8))
                    failures += 1
                    continue
                }
                input = [UInt8](data)
            }
            let items = ArticleInput.items(from: input, name: name == "-" ? "stdin" : name)
            if timing {
                // Time the analysis calls only, as one block (a clock read per article would be
                // a visible share of the cost of a headline).
                var batch: [Article] = []
                for item in items {
                    switch item {
                    case .failure(let message):
                        FileHandle.standardError.write(Data("dyadwatch analyze: \(message)\n".utf8))
                        failures += 1
                    case .article(let article):
                        batch.append(article)
                        bytes += article.title.utf8.count + article.text.utf8.count
                    }
                }
                let t0 = threadCPUSeconds()
                for article in batch { _ = analyzer.analyze(article) }
                seconds += threadCPUSeconds() - t0
                articles += batch.count
                continue
            }
            for item in items {
                switch item {
                case .failure(let message):
                    FileHandle.standardError.write(Data("dyadwatch analyze: \(message)\n".utf8))
                    failures += 1
                case .article(let article):
                    let result = analyzer.analyze(article)
                    if jsonl {
                        out.write(try encoder.encode(result))
                        out.write(Data([0x0A]))
                    } else {
                        out.write(Data(AnalysisReport.render(result, article: article, color: color).utf8))
                        out.write(Data("\n".utf8))
                    }
                }
            }
        }
        out.flush()
        if timing {
            let mb = Double(bytes) / 1_000_000
            let line = String(format: "analyzed %d articles, %.2f MB in %.3f s: %.1f articles/s, %.2f MB/s\n",
                              articles, mb, seconds, seconds > 0 ? Double(articles) / seconds : 0, seconds > 0 ? mb / seconds : 0)
            FileHandle.standardError.write(Data(line.utf8))
        }
        if failures > 0 { throw ExitCode(1) }
    }
}

/// CPU time of the calling thread: throughput figures that do not depend on how busy the machine is.
private func threadCPUSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// Buffers standard output so thousands of small JSON lines cost few write calls.
private final class OutputBuffer {
    /// Bytes gathered before a write.
    static let capacity = 1 << 16
    private var buffer = Data()
    func write(_ d: Data) {
        buffer.append(d)
        if buffer.count >= OutputBuffer.capacity { flush() }
    }
    func flush() {
        if !buffer.isEmpty { FileHandle.standardOutput.write(buffer); buffer.removeAll(keepingCapacity: true) }
    }
}
