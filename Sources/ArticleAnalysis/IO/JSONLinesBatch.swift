import Foundation
import DyadCore

/// `analyze --jsonl` over a whole input: lines are cut into windows, each window is split among
/// worker threads (contiguous slices, so output order is input order), and every worker parses,
/// analyzes and serialises its slice into its own byte buffer. Results are handed out window by
/// window, in order.
public struct JSONLinesBatch {
    /// Lines per worker per window: large enough to amortise thread hand-off, small enough to
    /// keep the output of one window in memory.
    public static let linesPerWorker = 2_048

    public let analyzer: Analyzer
    public let workers: Int

    public init(analyzer: Analyzer, workers: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.analyzer = analyzer
        self.workers = max(1, workers)
    }

    /// A line that could not be read, with its 1-based number.
    public struct LineFailure: Sendable {
        public var line: Int
        public var message: String
    }

    /// Runs over `input` (JSON lines; blank lines skipped). `output` receives serialised results in
    /// input order; `failure` each unreadable line. Returns the number of articles analyzed.
    @discardableResult
    public func run(_ input: [UInt8], name: String, output: ([UInt8]) -> Void, failure: (LineFailure) -> Void) -> Int {
        let baseName = (name as NSString).lastPathComponent
        var analyzed = 0
        input.withUnsafeBufferPointer { all in
            var lineStart = 0
            var lineNumber = 0
            let window = workers * JSONLinesBatch.linesPerWorker
            var ranges: [(start: Int, end: Int, line: Int)] = []
            ranges.reserveCapacity(window)
            while lineStart < all.count {
                ranges.removeAll(keepingCapacity: true)
                while ranges.count < window && lineStart < all.count {
                    let base = UnsafeRawPointer(all.baseAddress! + lineStart)
                    let end = memchr(base, 0x0A, all.count - lineStart).map { lineStart + (UnsafeRawPointer($0) - base) } ?? all.count
                    lineNumber += 1
                    if !JSONLinesBatch.isBlank(all, lineStart, end) { ranges.append((lineStart, end, lineNumber)) }
                    lineStart = end + 1
                }
                let slices = JSONLinesBatch.split(ranges.count, into: workers)
                let results = UnsafeMutableBufferPointer<SliceResult>.allocate(capacity: slices.count)
                results.initialize(repeating: SliceResult())
                defer { results.deinitialize(); results.deallocate() }
                let job = WindowJob(all: all, ranges: ranges, slices: slices, results: results, analyzer: analyzer, baseName: baseName)
                if slices.count == 1 { job.run(0) } else { DispatchQueue.concurrentPerform(iterations: slices.count) { job.run($0) } }
                for w in 0..<slices.count {
                    if !results[w].bytes.isEmpty { output(results[w].bytes) }
                    for f in results[w].failures { failure(f) }
                    analyzed += results[w].count
                }
            }
        }
        return analyzed
    }

    /// One window's shared, read-only inputs; worker `w` writes only `results[w]`.
    struct WindowJob: @unchecked Sendable {
        let all: UnsafeBufferPointer<UInt8>
        let ranges: [(start: Int, end: Int, line: Int)]
        let slices: [Range<Int>]
        let results: UnsafeMutableBufferPointer<SliceResult>
        let analyzer: Analyzer
        let baseName: String

        func run(_ w: Int) {
            var out = ResultJSONWriter(capacity: slices[w].count * 1_024)
            var failures: [LineFailure] = []
            var count = 0
            for k in slices[w] {
                let r = ranges[k]
                switch JSONLineReader.article(UnsafeBufferPointer(rebasing: all[r.start..<r.end]), fallbackID: "\(baseName):\(r.line)") {
                case .success(let article):
                    out.append(analyzer.analyze(article))
                    count += 1
                case .failure(.syntax(let message)):
                    failures.append(LineFailure(line: r.line, message: "not valid JSON (\(message))"))
                }
            }
            results[w] = SliceResult(bytes: out.bytes, failures: failures, count: count)
        }
    }

    struct SliceResult {
        var bytes: [UInt8] = []
        var failures: [LineFailure] = []
        var count = 0
    }

    static func isBlank(_ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        var i = start
        while i < end { let b = p[i]; if !(b == 0x20 || b == 0x09 || b == 0x0D) { return false }; i += 1 }
        return true
    }

    /// `count` items cut into at most `parts` contiguous, nearly equal ranges (none empty).
    static func split(_ count: Int, into parts: Int) -> [Range<Int>] {
        let n = max(1, min(parts, count))
        return (0..<n).map { k in (count * k / n)..<(count * (k + 1) / n) }
    }
}
