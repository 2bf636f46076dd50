/// A growable byte buffer written through a raw pointer: an append is a bounds check and a
/// store, without the uniqueness check `Array.append` makes per call (visible in profiles of
/// `parse --jsonl` and `analyze --jsonl`, which write a few bytes at a time). Shared by the
/// JSON-lines writers of the parser and the analyzer; inlinable so appends stay inline across modules.
public struct ByteSink: ~Copyable {
    @usableFromInline var base: UnsafeMutablePointer<UInt8>
    @usableFromInline var count = 0
    @usableFromInline var capacity: Int

    public init(capacity: Int) {
        self.capacity = max(capacity, 16)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    /// Bytes written so far.
    @inlinable public var isEmpty: Bool { count == 0 }
    @inlinable public var byteCount: Int { count }

    /// Calls `body` with the bytes written so far.
    @inlinable
    public func withBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(start: base, count: count))
    }

    /// Forgets the bytes, keeps the memory.
    @inlinable public mutating func removeAll() { count = 0 }

    @usableFromInline
    mutating func grow(toAtLeast needed: Int) {
        var newCapacity = capacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        grown.update(from: base, count: count)
        base.deallocate()
        base = grown
        capacity = newCapacity
    }

    /// Makes room for `n` more bytes at once (one check instead of one per byte).
    @inlinable
    public mutating func reserve(_ n: Int) {
        if count + n > capacity { grow(toAtLeast: count + n) }
    }

    @inlinable @inline(__always)
    public mutating func append(_ byte: UInt8) {
        if count == capacity { grow(toAtLeast: count + 1) }
        base[count] = byte
        count += 1
    }

    @inlinable @inline(__always)
    public mutating func append(contentsOf bytes: UnsafeBufferPointer<UInt8>) {
        guard let src = bytes.baseAddress, !bytes.isEmpty else { return }
        let n = bytes.count
        if count + n > capacity { grow(toAtLeast: count + n) }
        let dst = base + count
        if n <= 16 {
            // Short runs (a mention, an id, an escape-free stretch) without a call to memmove:
            // two overlapping loads and stores cover any length from 4 to 16.
            let s = UnsafeRawPointer(src), d = UnsafeMutableRawPointer(dst)
            if n >= 8 {
                let head = s.loadUnaligned(as: UInt64.self), tail = s.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
                d.storeBytes(of: head, as: UInt64.self)
                d.storeBytes(of: tail, toByteOffset: n - 8, as: UInt64.self)
            } else if n >= 4 {
                let head = s.loadUnaligned(as: UInt32.self), tail = s.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self)
                d.storeBytes(of: head, as: UInt32.self)
                d.storeBytes(of: tail, toByteOffset: n - 4, as: UInt32.self)
            } else {
                dst[0] = src[0]
                if n > 1 { dst[1] = src[1] }
                if n > 2 { dst[2] = src[2] }
            }
        } else {
            dst.update(from: src, count: n)
        }
        count += n
    }

    @inlinable
    public mutating func append(_ s: StaticString) {
        s.withUTF8Buffer { append(contentsOf: $0) }
    }

    @inlinable
    public mutating func append(utf8 s: String) {
        var s = s
        s.withUTF8 { append(contentsOf: $0) }
    }
}
