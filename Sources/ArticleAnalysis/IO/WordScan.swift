/// Word-at-a-time byte tests (SWAR): eight bytes of a `UInt64` checked at once, so the JSON
/// reader skips plain runs of text without a branch per byte. Each test sets the high
/// bit of the matching bytes; the lowest set bit always marks a true match (bits above it may
/// be false positives from the borrow, so only the first is used).
enum WordScan {
    static let ones: UInt64 = 0x0101_0101_0101_0101
    static let highs: UInt64 = 0x8080_8080_8080_8080

    /// The eight bytes at `p + i`, first byte in the low bits on any platform.
    @inline(__always)
    static func load(_ p: UnsafeBufferPointer<UInt8>, _ i: Int) -> UInt64 {
        UInt64(littleEndian: UnsafeRawPointer(p.baseAddress! + i).loadUnaligned(as: UInt64.self))
    }

    /// High bit of each byte equal to `b`.
    @inline(__always)
    static func equal(_ w: UInt64, _ b: UInt8) -> UInt64 {
        let x = w ^ (ones &* UInt64(b))
        return (x &- ones) & ~x & highs
    }

    /// Index within the word of the first byte a mask marks.
    @inline(__always)
    static func firstIndex(_ mask: UInt64) -> Int { mask.trailingZeroBitCount >> 3 }
}
