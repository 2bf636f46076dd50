import XCTest
@testable import FeedParsing

/// The tree builder's name caches: lookups by pointer identity, growth past the first table size.
final class PointerMapTests: XCTestCase {
    func testStoresAndFindsManyPointersAcrossGrowth() {
        let count = 1_000
        let block = UnsafeMutableRawPointer.allocate(byteCount: count * 16, alignment: 16)
        defer { block.deallocate() }
        var map = PointerMap<Int>()
        for i in 0..<count { map.insert(i, for: UnsafeRawPointer(block + i * 16)) }
        for i in 0..<count { XCTAssertEqual(map.value(for: UnsafeRawPointer(block + i * 16)), i) }
        XCTAssertNil(map.value(for: UnsafeRawPointer(block + 8)), "a pointer never inserted")
        map.insert(-1, for: UnsafeRawPointer(block))
        XCTAssertEqual(map.value(for: UnsafeRawPointer(block)), -1, "insert replaces")
        XCTAssertEqual(map.first { $0 == 500 }, 500)
        XCTAssertNil(map.first { $0 == 5_000 })
    }
}
