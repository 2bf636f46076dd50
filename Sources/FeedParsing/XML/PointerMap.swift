/// A map keyed by libxml2's interned (dictionary) string pointers, for the tree builder's
/// per-document name caches: open addressing on the pointer bits, so a lookup is a multiply and
/// a compare or two instead of a SipHash of the key (`Dictionary`'s hashing showed in profiles
/// at one lookup per element and attribute name).
struct PointerMap<Value> {
    /// Initial slot count (a power of two); a feed has a few dozen distinct names.
    private static var initialSlots: Int { 64 }
    /// Fibonacci hashing multiplier (2^64 / golden ratio): spreads aligned pointers over the slots.
    private static var multiplier: UInt { 0x9E37_79B9_7F4A_7C15 }

    private var keys: [UInt]
    private var values: [Value?]
    private var count = 0
    private var shift: UInt

    init() {
        keys = Array(repeating: 0, count: Self.initialSlots)
        values = Array(repeating: nil, count: Self.initialSlots)
        shift = UInt(UInt.bitWidth - Self.initialSlots.trailingZeroBitCount)
    }

    @inline(__always)
    private func slot(_ key: UInt) -> Int { Int(truncatingIfNeeded: (key &* Self.multiplier) >> shift) }

    func value(for pointer: UnsafeRawPointer) -> Value? {
        let key = UInt(bitPattern: pointer)
        let mask = keys.count - 1
        var i = slot(key)
        while keys[i] != 0 {
            if keys[i] == key { return values[i] }
            i = (i + 1) & mask
        }
        return nil
    }

    /// Adds or replaces the value for `pointer`.
    mutating func insert(_ value: Value, for pointer: UnsafeRawPointer) {
        if (count + 1) * 2 > keys.count { grow() }
        let key = UInt(bitPattern: pointer)
        let mask = keys.count - 1
        var i = slot(key)
        while keys[i] != 0 && keys[i] != key { i = (i + 1) & mask }
        if keys[i] == 0 { count += 1 }
        keys[i] = key
        values[i] = value
    }

    /// The first stored value (in slot order) satisfying `predicate`.
    func first(where predicate: (Value) -> Bool) -> Value? {
        for i in keys.indices where keys[i] != 0 {
            if let v = values[i], predicate(v) { return v }
        }
        return nil
    }

    private mutating func grow() {
        let oldKeys = keys, oldValues = values
        keys = Array(repeating: 0, count: oldKeys.count * 2)
        values = Array(repeating: nil, count: oldKeys.count * 2)
        shift -= 1
        count = 0
        for i in oldKeys.indices where oldKeys[i] != 0 {
            insert(oldValues[i]!, for: UnsafeRawPointer(bitPattern: oldKeys[i])!)
        }
    }
}
