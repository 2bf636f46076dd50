extension Array {
    /// Empties the array and keeps its memory, like `removeAll(keepingCapacity: true)`, which goes
    /// through the generic `replaceSubrange` — a call that costs more than dropping the handful of
    /// elements an article's scratch arrays (hits, sentences, cues) hold. Linear in the count, as
    /// the filling was.
    @inline(__always)
    mutating func removeAllKeepingCapacity() {
        while !isEmpty { removeLast() }
    }
}
