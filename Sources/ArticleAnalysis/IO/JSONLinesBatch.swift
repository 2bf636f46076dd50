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
        // Slice states for the whole run: scan buffers, line fields and output buffers are reused
        // window after window, article after article. With several workers, two sets: one window's
        // results are handed out (on `writer`, in order) while the next window is analysed.
        let slots = workers == 1 ? 1 : workers * JSONLinesBatch.slicesPerWorker
        let sets = workers == 1 ? 1 : 2
        let stateSets = (0..<sets).map { _ in (0..<slots).map { _ in WorkerState(analyzer: analyzer) } }
        let writer = DispatchQueue(label: "dyadwatch.analyze.output")
        let free = DispatchSemaphore(value: sets)
        withoutActuallyEscaping(output) { output in
        withoutActuallyEscaping(failure) { failure in
            let sink = Sink(output: output, failure: failure)
            var lineStart = 0
            var lineNumber = 0
            var windowIndex = 0
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
                free.wait()                     // this set's previous window has been handed out
                let states = stateSets[windowIndex % sets]
                windowIndex += 1
                let job = WindowJob(all: all, ranges: ranges, slices: slices, states: states, analyzer: analyzer, baseName: baseName)
                if slices.count == 1 { job.run(0) } else { DispatchQueue.concurrentPerform(iterations: slices.count) { job.run($0) } }
                for w in 0..<slices.count { analyzed += states[w].count }
                let count = slices.count
                if sets == 1 {
                    sink.handOut(states, count)
                    free.signal()
                } else {
                    writer.async { sink.handOut(states, count); free.signal() }
                }
            }
            writer.sync {}                      // every window handed out
        }}
        return analyzed
    }

    /// The caller's callbacks, called on one thread at a time (the writer queue's), never after `run` returns.
    struct Sink: @unchecked Sendable {
        let output: (UnsafeBufferPointer<UInt8>) -> Void
        let failure: (LineFailure) -> Void

        /// A window's results and failures, slice by slice, in input order.
        func handOut(_ states: [WorkerState], _ count: Int) {
            for w in 0..<count {
                let state = states[w]
                if !state.out.isEmpty { state.out.withBytes(output) }
                for f in state.failures { failure(f) }
            }
        }
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
                let line = UnsafeBufferPointer(rebasing: all[r.start..<r.end])
                if let failure = JSONLineReader.read(line, into: &state.fields) {
                    guard case .syntax(let message) = failure else { continue }
                    state.failures.append(LineFailure(line: r.line, message: "not valid JSON (\(message))"))
                    continue
                }
                state.fields.withTitle(in: line) { title in
                    state.fields.withText(in: line) { state.scan.load(title: title, text: $0) }
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
