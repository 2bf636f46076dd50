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
    /// Slices per worker per window, taken by whichever thread is free: when the machine is busy
    /// and one thread is preempted, the others take its share instead of waiting for it.
    static let slicesPerWorker = 8

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
    public func run(_ input: [UInt8], name: String, output: (UnsafeBufferPointer<UInt8>) -> Void, failure: (LineFailure) -> Void) -> Int {
        input.withUnsafeBufferPointer { run($0, name: name, output: output, failure: failure) }
    }

    /// The same over bytes in place (e.g. a mapped file).
    @discardableResult
    public func run(_ all: UnsafeBufferPointer<UInt8>, name: String, output: (UnsafeBufferPointer<UInt8>) -> Void, failure: (LineFailure) -> Void) -> Int {
        let baseName = (name as NSString).lastPathComponent
        var analyzed = 0
        // One worker state per thread for the whole run: scan buffers, line fields and output
        // buffer are reused window after window, article after article.
        let slots = workers == 1 ? 1 : workers * JSONLinesBatch.slicesPerWorker
        let states = (0..<slots).map { _ in WorkerState(analyzer: analyzer) }
        do {
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
                let slices = JSONLinesBatch.split(ranges.count, into: slots)
                let job = WindowJob(all: all, ranges: ranges, slices: slices, states: states, analyzer: analyzer, baseName: baseName)
                if slices.count == 1 { job.run(0) } else { DispatchQueue.concurrentPerform(iterations: slices.count) { job.run($0) } }
                for w in 0..<slices.count {
                    let state = states[w]
                    if !state.out.isEmpty { state.out.withBytes(output) }
                    for f in state.failures { failure(f) }
                    analyzed += state.count
                }
            }
        }
        return analyzed
    }

    /// What one slice owns (slice k of every window uses state k, on one thread at a time): its
    /// scan (buffers reused article after article), the current line's fields, and the serialised
    /// results and failures of the slice.
    final class WorkerState: @unchecked Sendable {
        let scan: ArticleScan
        var fields = JSONLineReader.LineFields()
        var out = ResultJSONWriter(capacity: 1 << 16)
        var failures: [LineFailure] = []
        var count = 0
        init(analyzer: Analyzer) { scan = analyzer.makeScan() }
    }

    /// One window's shared, read-only inputs; slice `w` uses only `states[w]`.
    struct WindowJob: @unchecked Sendable {
        let all: UnsafeBufferPointer<UInt8>
        let ranges: [(start: Int, end: Int, line: Int)]
        let slices: [Range<Int>]
        let states: [WorkerState]
        let analyzer: Analyzer
        let baseName: String

        func run(_ w: Int) {
            let state = states[w]
            state.out.removeAll()
            state.failures.removeAll(keepingCapacity: true)
            state.count = 0
            for k in slices[w] {
                let r = ranges[k]
                if let failure = JSONLineReader.read(UnsafeBufferPointer(rebasing: all[r.start..<r.end]), into: &state.fields) {
                    guard case .syntax(let message) = failure else { continue }
                    state.failures.append(LineFailure(line: r.line, message: "not valid JSON (\(message))"))
                    continue
                }
                state.fields.title.withUnsafeBufferPointer { title in
                    state.fields.text.withUnsafeBufferPointer { state.scan.load(title: title, text: $0) }
                }
                state.out.append(analyzer.parts(of: state.scan, id: state.fields.id ?? "\(baseName):\(r.line)",
                                                languageHint: state.fields.language), entitiesOf: state.scan)
                state.count += 1
            }
        }
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
