/// Scratch arrays a worker refills article after article (hits, sentences, cues, entity groups,
/// text copies): their memory is kept, and they are refilled without the generic
/// `removeAll(keepingCapacity:)` / `replaceSubrange` calls, which cost more than the handful of
/// elements a headline's arrays hold. The one way these buffers are reused.
extension Array {
    /// Empties the array and keeps its memory, like `removeAll(keepingCapacity: true)`: the
    /// elements are dropped one by one (linear in the count, as the filling was).
    @inline(__always)
    mutating func removeAllKeepingCapacity() {
        while !isEmpty { removeLast() }
    }

    /// Element `k` of an array being refilled in place from the front: overwritten while the
    /// previous contents last, appended after them (`k` is at most `count`).
    @inline(__always)
    mutating func put(_ element: Element, at k: Int) {
        if k < count { self[k] = element } else { append(element) }
    }

    /// Drops the elements from `n` on: what is left of the previous contents after a refill.
    @inline(__always)
    mutating func truncate(to n: Int) {
        if count > n { removeLast(count - n) }
    }
}
