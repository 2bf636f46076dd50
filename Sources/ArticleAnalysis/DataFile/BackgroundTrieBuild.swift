import Foundation
import Synchronization

/// Builds the pattern trie on a thread of its own while `AnalysisData.load` is still parsing the
/// data files: the loader hands over its patterns in batches as it parses them (in file order, so the
/// trie gets exactly the patterns, in exactly the order, of a build on one thread), and fills its
/// other tables while the trie is frozen (`PatternTrie.finish`). On two cores, the adds overlap
/// the parsing and the freeze overlaps the remaining tables: part of every `dyadwatch analyze`
/// start-up that the second core took no share of before.
final class BackgroundTrieBuild: @unchecked Sendable {
    /// One pattern to add: its case-folded bytes and what it stands for.
    struct Item {
        var folded: [UInt8]
        var pattern: PatternTrie.Pattern
    }

    /// Patterns handed over at a time (a few per line; the bundled files hold some thousands).
    static let batchSize = 256

    /// What the loader and the builder thread share: batches not yet added, and whether the
    /// loader has closed the hand-over (`complete`: with a result wanted, else cancelled).
    private struct Handover {
        var queue: [[Item]] = []
        var closed = false
        var complete = false
    }
    // `available` counts the batches (and the close) handed over; `done` is signalled once the
    // thread has stopped.
    private let handover = Mutex(Handover())
    private let available = DispatchSemaphore(value: 0)
    private let done = DispatchSemaphore(value: 0)
    /// Owned by the builder thread until `done`, then read by `finish`.
    private var trie = PatternTrie()

    /// Starts the builder thread (a thread of its own, not a pool's: waiting for it never depends
    /// on a pool having a free thread).
    init() {
        let thread = Thread { [self] in build() }
        thread.name = "dyadwatch.trie"
        thread.start()
    }

    /// Hands over some patterns, to be added after those handed over before.
    func add(_ batch: [Item]) {
        guard !batch.isEmpty else { return }
        handover.withLock { $0.queue.append(batch) }
        available.signal()
    }

    /// The trie with every pattern handed over, frozen. Waits for the builder thread.
    func finish() -> PatternTrie {
        close(complete: true)
        done.wait()
        return trie
    }

    /// Stops the builder without a result (the loader failed); safe after `finish` too.
    func cancel() { close(complete: false) }

    private func close(complete: Bool) {
        let first = handover.withLock { h in
            guard !h.closed else { return false }
            h.closed = true
            h.complete = complete
            return true
        }
        if first { available.signal() }
    }

    private func build() {
        defer { done.signal() }
        BackgroundTrieBuild.growHeap()
        while true {
            available.wait()
            let (next, finishing, cancelled) = handover.withLock { h -> ([Item]?, Bool, Bool) in
                (h.queue.isEmpty ? nil : h.queue.removeFirst(), h.closed && h.complete, h.closed && !h.complete)
            }
            if cancelled { return }
            guard let batch = next else {
                // No batch left: the close (a batch is always signalled before a close, and
                // `closed` is set before its signal, so every batch has been taken by now).
                if finishing { trie.finish() }
                return
            }
            for item in batch { trie.add(folded: item.folded, pattern: item.pattern) }
        }
    }

    /// Bytes of heap made ready up front: more than the trie of the bundled data uses at its peak.
    static let heapReserve = 8 << 20
    /// Under glibc's 128 KiB threshold, so each block comes from the thread's heap, not `mmap`.
    static let heapBlock = 120 << 10

    /// Grows this thread's malloc heap in a few large steps before the trie's many small blocks:
    /// glibc grows the heap of a thread's arena one `mprotect` per page as it fills (some 1,200
    /// calls for the bundled data, each changing the mappings of the whole process), and keeps
    /// a heap's mapping when its top is freed. The blocks are freed right away; no result depends
    /// on this, only the number of system calls.
    private static func growHeap() {
        withUnsafeTemporaryAllocation(of: UnsafeMutableRawPointer?.self, capacity: heapReserve / heapBlock) { blocks in
            for k in blocks.indices { blocks[k] = malloc(heapBlock) }
            for k in blocks.indices { free(blocks[k]) }
        }
    }
}
