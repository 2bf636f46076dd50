import Foundation
import DyadCore
import Synchronization

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
        // Slice outputs for the whole run, reused window after window. With several workers, two
        // sets: one window's results are handed out (on `writer`, in order) while the next window
        // is analysed. Scans are per thread, not per slice (`ScanPool`): a few working sets stay
        // in the caches instead of one per slice.
        let slots = workers == 1 ? 1 : workers * JSONLinesBatch.slicesPerWorker
        let sets = workers == 1 ? 1 : 2
        let outputSets = (0..<sets).map { _ in (0..<slots).map { _ in SliceOutput() } }
        let scans = ScanPool(analyzer: analyzer)
        let writer = DispatchQueue(label: "dyadwatch.analyze.output")
        let free = DispatchSemaphore(value: sets)
        withoutActuallyEscaping(output) { output in
        withoutActuallyEscaping(failure) { failure in
            let sink = Sink(output: output, failure: failure)
            var windowIndex = 0
            let window = workers * JSONLinesBatch.linesPerWorker
            // Two sets of line ranges: with several workers, the next window is cut while this
            // one is analysed (one more iteration of the parallel loop), not between windows
            // while the workers wait. Ranges are read by the workers only (never by the writer).
            let cutter = LineCutter(all: all, window: window)
            let rangeSets = [LineRanges(capacity: window), LineRanges(capacity: window)]
            var hasWindow = cutter.lineStart < all.count
            if hasWindow { cutter.cut(into: rangeSets[0]) }
            while hasWindow {
                let ranges = rangeSets[windowIndex % 2], next = rangeSets[(windowIndex + 1) % 2]
                let hasNext = cutter.lineStart < all.count
                let parts = max(1, min(slots, ranges.count))
                free.wait()                     // this set's previous window has been handed out
                let outputs = outputSets[windowIndex % sets]
                windowIndex += 1
                let job = WindowJob(all: all, ranges: ranges, parts: parts, outputs: outputs, scans: scans,
                                    analyzer: analyzer, baseName: baseName)
                if workers == 1 {
                    job.run(0)
                    if hasNext { cutter.cut(into: next) }
                } else {
                    // The cut first (iterations are taken in order), beside the first slices.
                    let cuts = hasNext ? 1 : 0
                    DispatchQueue.concurrentPerform(iterations: parts + cuts) { k in
                        if k < cuts { cutter.cut(into: next) } else { job.run(k - cuts) }
                    }
                }
                for w in 0..<parts { analyzed += outputs[w].count }
                if sets == 1 {
                    sink.handOut(outputs, parts)
                    free.signal()
                } else {
                    writer.async { sink.handOut(outputs, parts); free.signal() }
                }
                hasWindow = hasNext
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
        func handOut(_ outputs: [SliceOutput], _ count: Int) {
            for w in 0..<count {
                let slice = outputs[w]
                if !slice.out.isEmpty { slice.out.withBytes(output) }
                for f in slice.failures { failure(f) }
            }
        }
    }

    /// What one slice produces (slice k of a window uses output k of its set, on one thread at a
    /// time): the serialised results and failures of the slice, and how many articles it analysed.
    final class SliceOutput: @unchecked Sendable {
        var out = ResultJSONWriter(capacity: 1 << 16)
        var failures: [LineFailure] = []
        var count = 0
    }

    /// What a thread needs to analyse lines: a scan (buffers reused article after article) and
    /// the current line's fields. Used by one thread at a time, handed between threads only
    /// through `ScanPool` (hence `@unchecked`).
    final class ScanState: @unchecked Sendable {
        let scan: ArticleScan
        var fields = JSONLineReader.LineFields()
        init(analyzer: Analyzer) { scan = analyzer.makeScan() }
    }

    /// Scans lent to the slices being analysed, one per thread at work (a slice takes one and
    /// gives it back; last in, first out, so a thread mostly gets its own back).
    final class ScanPool: @unchecked Sendable {
        private let analyzer: Analyzer
        /// Scans not lent out.
        private let free = Mutex<[ScanState]>([])
        init(analyzer: Analyzer) { self.analyzer = analyzer }

        func take() -> ScanState {
            free.withLock { $0.popLast() } ?? ScanState(analyzer: analyzer)
        }

        func give(_ s: ScanState) {
            free.withLock { $0.append(s) }
        }
    }

    /// Cuts the input into windows of at most `window` non-blank lines, one after the other.
    final class LineCutter: @unchecked Sendable {
        let all: UnsafeBufferPointer<UInt8>
        let window: Int
        /// Where the next window starts, and the number of the line before it.
        private(set) var lineStart = 0
        private var lineNumber = 0
        init(all: UnsafeBufferPointer<UInt8>, window: Int) { self.all = all; self.window = window }

        /// The next window's non-blank lines into `ranges` (emptied first).
        func cut(into ranges: LineRanges) {
            ranges.count = 0
            while ranges.count < window && lineStart < all.count {
                let base = UnsafeRawPointer(all.baseAddress! + lineStart)
                let end = memchr(base, 0x0A, all.count - lineStart).map { lineStart + (UnsafeRawPointer($0) - base) } ?? all.count
                lineNumber += 1
                if !JSONLinesBatch.isBlank(all, lineStart, end) { ranges.append(lineStart, end, lineNumber) }
                lineStart = end + 1
            }
        }
    }

    /// The non-blank lines of a window (start, end, 1-based line number), in one buffer kept for the run.
    final class LineRanges: @unchecked Sendable {
        let base: UnsafeMutablePointer<(start: Int, end: Int, line: Int)>
        var count = 0
        init(capacity: Int) { base = .allocate(capacity: max(1, capacity)) }
        deinit { base.deallocate() }
        @inline(__always) func append(_ start: Int, _ end: Int, _ line: Int) {
            base[count] = (start, end, line)
            count += 1
        }
    }

    /// One window's shared, read-only inputs; slice `w` (of `parts` nearly equal contiguous
    /// ranges of lines) uses only `outputs[w]`.
    struct WindowJob: @unchecked Sendable {
        let all: UnsafeBufferPointer<UInt8>
        let ranges: LineRanges
        let parts: Int
        let outputs: [SliceOutput]
        let scans: ScanPool
        let analyzer: Analyzer
        let baseName: String

        func run(_ w: Int) {
            let slice = outputs[w]
            let state = scans.take()
            // The fields in a local for the slice (moved, not copied): methods called on a class's
            // stored struct copy it, line after line.
            var fields = JSONLineReader.LineFields()
            swap(&fields, &state.fields)
            // The output too: a local writer's count stays in a register, and the slice outputs,
            // small objects side by side, are not written line after line by two threads (false sharing).
            var out = ResultJSONWriter(capacity: 0)
            swap(&out, &slice.out)
            defer {
                swap(&out, &slice.out)
                swap(&fields, &state.fields)
                scans.give(state)
            }
            out.removeAll()
            slice.failures.removeAll(keepingCapacity: true)
            let n = ranges.count
            let lines = ranges.base
            let scan = state.scan
            var count = 0
            for k in (n * w / parts)..<(n * (w + 1) / parts) {
                let r = lines[k]
                let line = UnsafeBufferPointer(rebasing: all[r.start..<r.end])
                if let failure = JSONLineReader.read(line, into: &fields) {
                    guard case .syntax(let message) = failure else { continue }
                    slice.failures.append(LineFailure(line: r.line, message: "not valid JSON (\(message))"))
                    continue
                }
                if let t = fields.titleInLine, let x = fields.textInLine {
                    // Both in place (most lines): no closure capturing the fields (which copies them).
                    scan.load(title: UnsafeBufferPointer(rebasing: line[t]), text: UnsafeBufferPointer(rebasing: line[x]))
                } else {
                    fields.withTitle(in: line) { title in
                        fields.withText(in: line) { scan.load(title: title, text: $0) }
                    }
                }
                let parts = analyzer.parts(of: scan, languageHint: fields.language)
                if fields.withID(in: line, { out.append(parts, id: $0, entitiesOf: scan) }) == nil {
                    var id = "\(baseName):\(r.line)"
                    id.withUTF8 { out.append(parts, id: $0, entitiesOf: scan) }
                }
                count += 1
            }
            slice.count = count
        }
    }

    static func isBlank(_ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        var i = start
        while i < end { let b = p[i]; if !(b == 0x20 || b == 0x09 || b == 0x0D) { return false }; i += 1 }
        return true
    }
}
