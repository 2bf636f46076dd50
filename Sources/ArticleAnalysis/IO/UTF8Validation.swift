/// Whether bytes are well-formed UTF-8 (Unicode Table 3-7: no overlong forms, no surrogates,
/// nothing above U+10FFFF): then `String(decoding:as:)` would keep them unchanged, and the JSON
/// reader can use them as they are instead of building a String. Eight ASCII bytes at a time.
enum UTF8Validation {
    static func isValid(_ p: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = p.count
        var i = 0
        while i < n {
            if i + 8 <= n {
                let word = UnsafeRawPointer(p.baseAddress! + i).loadUnaligned(as: UInt64.self)
                if word & 0x8080_8080_8080_8080 == 0 { i += 8; continue }
            }
            let b = p[i]
            if b < 0x80 { i += 1; continue }
            @inline(__always) func isContinuation(_ k: Int) -> Bool { p[k] & 0xC0 == 0x80 }
            switch b {
            case 0xC2...0xDF:
                guard i + 1 < n, isContinuation(i + 1) else { return false }
                i += 2
            case 0xE0...0xEF:
                guard i + 2 < n, isContinuation(i + 2) else { return false }
                let c = p[i + 1]
                let ok = b == 0xE0 ? (0xA0...0xBF).contains(c) : b == 0xED ? (0x80...0x9F).contains(c) : c & 0xC0 == 0x80
                guard ok else { return false }
                i += 3
            case 0xF0...0xF4:
                guard i + 3 < n, isContinuation(i + 2), isContinuation(i + 3) else { return false }
                let c = p[i + 1]
                let ok = b == 0xF0 ? (0x90...0xBF).contains(c) : b == 0xF4 ? (0x80...0x8F).contains(c) : c & 0xC0 == 0x80
                guard ok else { return false }
                i += 4
            default:
                return false
            }
        }
        return true
    }
}
