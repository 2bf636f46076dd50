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

    @Option(name: .long, help: "Trained stance model from `dyadwatch train` (feeds.conf [analysis] model).")
    var model: String?

    @Option(name: .long, help: "Take [analysis] data_dir and model from this feeds.conf (only when given; --data-dir/--model win).")
    var config: String?

    @Flag(name: .long, help: "Analyze without printing results; print article count, bytes and analysis throughput (thread CPU time) to stderr.")
    var timing = false

    @Option(name: .long, help: "Worker threads for --jsonl (default: one per core).")
    var jobs: Int?

    @Argument(help: "Input files; '-' or none for standard input.")
    var files: [String] = []

    func run() async throws {
        var extra = dataDir.map { URL(fileURLWithPath: $0) }
        var modelURL = model.map { URL(fileURLWithPath: $0) }
        if let config {
            let check = ConfigOptions.loader.check(path: config)
            for diagnostic in check.diagnostics { StandardError.print(diagnostic.description) }
            guard let configuration = check.configuration else {
                StandardError.print("\(config): \(check.errors.count) error(s); fix them and run `dyadwatch check-config`")
                throw ExitCode(ConfigOptions.invalidConfigExitCode)
            }
            extra = extra ?? configuration.analysis.dataDir
            modelURL = modelURL ?? configuration.analysis.model
        }
        let analyzer = try AnalyzeCommand.makeAnalyzer(dataDir: extra, model: modelURL)
        let out = OutputBuffer()
        let color = !jsonl && isatty(STDOUT_FILENO) != 0
        let batch = JSONLinesBatch(analyzer: analyzer, workers: timing ? 1 : (jobs ?? ProcessInfo.processInfo.activeProcessorCount))
        var failures = 0
        var articles = 0, bytes = 0
        var seconds = 0.0
        for name in files.isEmpty ? ["-"] : files {
            let displayName = name == "-" ? "stdin" : name
            if jsonl && !timing, let mapped = MappedInput.open(name), ArticleInput.isJSONLines(mapped.bytes) {
                // The fast path: byte-level JSON in (in place), byte-level JSON out, parallel windows in input order.
                batch.run(mapped.bytes, name: displayName, output: { out.write($0) }, failure: {
                    StandardError.print("dyadwatch analyze: \(displayName):\($0.line): \($0.message)")
                    failures += 1
                })
                continue
            }
            let input: [UInt8]
            if name == "-" {
                input = StandardInput.readAll()
            } else {
                guard let data = FileManager.default.contents(atPath: name) else {
                    StandardError.print("dyadwatch analyze: cannot read \(name)")
                    failures += 1
                    continue
                }
                input = [UInt8](data)
            }
            if jsonl && !timing && ArticleInput.isJSONLines(input) {
                // The same from a pipe, read whole first.
                batch.run(input, name: displayName, output: { out.write($0) }, failure: {
                    StandardError.print("dyadwatch analyze: \(displayName):\($0.line): \($0.message)")
                    failures += 1
                })
                continue
            }
            let items = ArticleInput.items(from: input, name: displayName)
            if timing {
                // Time the analysis calls only, as one block (a clock read per article would be
                // a visible share of the cost of a headline).
                var articleBatch: [Article] = []
                for item in items {
                    switch item {
                    case .failure(let message):
                        StandardError.print("dyadwatch analyze: \(message)")
                        failures += 1
                    case .article(let article):
                        articleBatch.append(article)
                        bytes += article.title.utf8.count + article.text.utf8.count
                    }
                }
                let t0 = threadCPUSeconds()
                for article in articleBatch { _ = analyzer.analyze(article) }
                seconds += threadCPUSeconds() - t0
                articles += articleBatch.count
                continue
            }
            var writer = ResultJSONWriter()
            for item in items {
                switch item {
                case .failure(let message):
                    StandardError.print("dyadwatch analyze: \(message)")
                    failures += 1
                case .article(let article):
                    let result = analyzer.analyze(article)
                    if jsonl {
                        writer.removeAll()
                        writer.append(result)
                        writer.withBytes { out.write($0) }
                    } else {
                        out.write(Array(AnalysisReport.render(result, article: article, color: color).utf8))
                        out.write([0x0A])
                    }
                }
            }
        }
        out.flush()
        if timing {
            let mb = Double(bytes) / 1_000_000
            let line = String(format: "analyzed %d articles, %.2f MB in %.3f s: %.1f articles/s, %.2f MB/s",
                              articles, mb, seconds, seconds > 0 ? Double(articles) / seconds : 0, seconds > 0 ? mb / seconds : 0)
            StandardError.print(line)
        }
        if failures > 0 { throw ExitCode(1) }
    }
}

extension AnalyzeCommand {
    /// The analyzer with its data and optional model, or a clear validation error naming the file.
    static func makeAnalyzer(dataDir: URL?, model: URL?) throws -> Analyzer {
        do {
            return try Analyzer(extraDataDirectory: dataDir, model: model.map(StanceModel.load))
        } catch let e as AnalysisDataError {
            throw ValidationError("analysis data: \(e.description)")
        } catch let e as StanceModel.LoadError {
            throw ValidationError("analysis model: \(e.description)")
        }
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
    static let capacity = 1 << 20
    private var buffer: [UInt8] = []
    init() { buffer.reserveCapacity(OutputBuffer.capacity) }
    /// Blocks at least this large are written directly rather than copied into the buffer.
    static let direct = 1 << 16
    func write(_ d: [UInt8]) { d.withUnsafeBufferPointer { write($0) } }
    func write(_ d: UnsafeBufferPointer<UInt8>) {
        if d.count >= OutputBuffer.direct { flush(); StandardOutput.write(d); return }
        buffer.append(contentsOf: d)
        if buffer.count >= OutputBuffer.capacity { flush() }
    }
    func flush() {
        if !buffer.isEmpty { StandardOutput.write(buffer); buffer.removeAll(keepingCapacity: true) }
    }
}

/// Whole-buffer reads and writes on file descriptors 0 and 1 (no `Data` copies, no per-line calls).
enum StandardInput {
    static let chunk = 1 << 20
    /// Reads straight into one buffer, sized from `fstat` when standard input is a regular file
    /// (one allocation, no copies), doubled as needed for a pipe.
    static func readAll() -> [UInt8] {
        var st = stat()
        var size = chunk
        if fstat(STDIN_FILENO, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG && st.st_size > 0 {
            size = Int(st.st_size) + 1   // + 1: room for the read that reports the end
        }
        var out = [UInt8](repeating: 0, count: size)
        var count = 0
        while true {
            if count == out.count { out.append(contentsOf: repeatElement(0, count: out.count)) }
            let n = out.withUnsafeMutableBytes { read(STDIN_FILENO, $0.baseAddress! + count, $0.count - count) }
            if n > 0 { count += n; continue }
            if n < 0 && errno == EINTR { continue }
            out.removeLast(out.count - count)
            return out
        }
    }
}

enum StandardOutput {
    static func write(_ bytes: [UInt8]) { bytes.withUnsafeBufferPointer { write($0) } }
    static func write(_ p: UnsafeBufferPointer<UInt8>) {
        var off = 0
        while off < p.count {
            let n = Glibc.write(STDOUT_FILENO, p.baseAddress! + off, p.count - off)
            if n > 0 { off += n } else if n < 0 && errno == EINTR { continue } else { return }
        }
    }
}
