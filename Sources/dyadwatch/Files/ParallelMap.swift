import Foundation

/// `map` over an array on all cores (Dispatch's concurrentPerform), results in input order.
enum ParallelMap {
    /// Result storage written by index from many threads; each slot is written exactly once.
    /// Unchecked because it is a raw buffer: safe as each index is written by one iteration of
    /// `concurrentPerform` only, and read after `concurrentPerform` returned (a full barrier).
    private final class Slots<R>: @unchecked Sendable {
        let base: UnsafeMutablePointer<R?>
        let count: Int
        init(count: Int) {
            self.count = count
            base = .allocate(capacity: count)
            base.initialize(repeating: nil, count: count)
        }
        deinit { base.deinitialize(count: count); base.deallocate() }
    }

    static func map<T: Sendable, R>(_ items: [T], _ transform: @escaping @Sendable (T) -> R) -> [R] {
        guard items.count > 1 else { return items.map(transform) }
        let slots = Slots<R>(count: items.count)
        DispatchQueue.concurrentPerform(iterations: items.count) { i in
            slots.base[i] = transform(items[i])
        }
        return (0..<items.count).map { slots.base[$0]! }
    }
}
