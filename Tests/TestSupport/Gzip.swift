/// Minimal gzip/zlib encoder for tests (no zlib module is available to Swift here): a single
/// fixed-Huffman deflate block in which runs of a repeated byte become length-258/distance-1
/// matches. Ordinary text comes out slightly larger than it went in; a run of zeros shrinks
/// ~170:1, which is what a gzip-bomb test needs.
public enum Gzip {
    /// `Content-Encoding: gzip` body.
    public static func gzip(_ data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]  // magic, deflate, no flags, mtime 0, unix
        out += deflate(data)
        out += littleEndian(crc32(data))
        out += littleEndian(UInt32(truncatingIfNeeded: data.count))
        return out
    }

    /// `Content-Encoding: deflate` body (zlib-wrapped, as HTTP means it).
    public static func zlib(_ data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x78, 0x01]
        out += deflate(data)
        let a = adler32(data)
        out += [UInt8(a >> 24), UInt8((a >> 16) & 0xff), UInt8((a >> 8) & 0xff), UInt8(a & 0xff)]
        return out
    }

    /// `count` zero bytes, gzip-compressed without materialising them all at once in the encoder.
    public static func gzipBomb(decompressedSize count: Int) -> [UInt8] {
        gzip([UInt8](repeating: 0, count: count))
    }

    /// Raw deflate: one final block with fixed Huffman codes.
    public static func deflate(_ data: [UInt8]) -> [UInt8] {
        var w = BitWriter()
        w.write(1, bits: 1)  // BFINAL
        w.write(1, bits: 2)  // BTYPE = 01, fixed Huffman
        let maxMatch = 258
        var i = 0
        while i < data.count {
            let byte = data[i]
            w.literal(byte)
            var run = 0
            while i + 1 + run < data.count, data[i + 1 + run] == byte { run += 1 }
            var remaining = run
            while remaining >= maxMatch {
                w.huffman(285, length: 8)   // length 258: code 285 (11000101), no extra bits
                w.huffman(0, length: 5)     // distance 1: code 0, no extra bits
                remaining -= maxMatch
            }
            for _ in 0..<remaining { w.literal(byte) }
            i += 1 + run
        }
        w.huffman(0, length: 7)  // end of block (256)
        return w.finish()
    }

    static let crcTable: [UInt32] = (0..<256).map { n -> UInt32 in
        var c = UInt32(n)
        for _ in 0..<8 { c = (c & 1) != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    public static func crc32(_ data: [UInt8]) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        data.withUnsafeBufferPointer { buffer in
            for b in buffer { c = crcTable[Int((c ^ UInt32(b)) & 0xff)] ^ (c >> 8) }
        }
        return c ^ 0xFFFF_FFFF
    }

    static func adler32(_ data: [UInt8]) -> UInt32 {
        var a: UInt32 = 1, b: UInt32 = 0
        for byte in data { a = (a + UInt32(byte)) % 65_521; b = (b + a) % 65_521 }
        return b << 16 | a
    }

    static func littleEndian(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }
}

/// Packs bits least-significant first, as deflate requires; Huffman codes go most-significant first.
struct BitWriter {
    private var bytes: [UInt8] = []
    private var current: UInt32 = 0
    private var count: UInt32 = 0

    mutating func write(_ value: UInt32, bits: UInt32) {
        for i in 0..<bits { pushBit((value >> i) & 1) }
    }

    /// A code of the fixed literal/length alphabet; `length` is its bit length.
    mutating func huffman(_ symbol: UInt32, length: UInt32) {
        let code: UInt32
        switch (symbol, length) {
        case (285, 8): code = 0b1100_0000 + (285 - 280)
        default: code = symbol  // distance codes and end-of-block are written as given
        }
        for i in stride(from: Int(length) - 1, through: 0, by: -1) { pushBit((code >> UInt32(i)) & 1) }
    }

    mutating func literal(_ byte: UInt8) {
        let v = UInt32(byte)
        if v < 144 { huffmanCode(0x30 + v, length: 8) } else { huffmanCode(0x190 + (v - 144), length: 9) }
    }

    private mutating func huffmanCode(_ code: UInt32, length: UInt32) {
        for i in stride(from: Int(length) - 1, through: 0, by: -1) { pushBit((code >> UInt32(i)) & 1) }
    }

    private mutating func pushBit(_ bit: UInt32) {
        current |= bit << count
        count += 1
        if count == 8 { bytes.append(UInt8(current)); current = 0; count = 0 }
    }

    mutating func finish() -> [UInt8] {
        if count > 0 { bytes.append(UInt8(current)); current = 0; count = 0 }
        return bytes
    }
}
