import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Converts bytes in a named charset to UTF-8 with glibc's iconv.
enum Transcoder {
    /// Output chunk size for one iconv call.
    private static let chunkBytes = 64 * 1024
    /// U+FFFD REPLACEMENT CHARACTER in UTF-8, written for undecodable bytes in lenient mode.
    private static let replacement: [UInt8] = [0xEF, 0xBF, 0xBD]

    enum Failure: Error { case unknownCharset, invalidBytes(offset: Int) }

    /// Decodes `bytes` from `charset` (an iconv name) into UTF-8. Strict mode fails on the first
    /// invalid or truncated sequence; lenient mode replaces each bad byte with U+FFFD.
    static func toUTF8(_ bytes: [UInt8], from charset: String, strict: Bool) -> Result<[UInt8], Failure> {
        let cd = iconv_open("UTF-8", charset)
        if Int(bitPattern: cd) == -1 { return .failure(.unknownCharset) }
        defer { iconv_close(cd) }
        var out = [UInt8]()
        out.reserveCapacity(bytes.count + bytes.count / 2)
        var chunk = [UInt8](repeating: 0, count: chunkBytes)
        var failure: Failure?
        bytes.withUnsafeBufferPointer { inBuf in
            guard let inBase = inBuf.baseAddress else { return }
            var inPtr = UnsafeMutablePointer(mutating: UnsafeRawPointer(inBase).assumingMemoryBound(to: CChar.self))
            var inLeft = inBuf.count
            chunk.withUnsafeMutableBufferPointer { outBuf in
                let outBase = UnsafeMutableRawPointer(outBuf.baseAddress!).assumingMemoryBound(to: CChar.self)
                while inLeft > 0 {
                    var outPtr: UnsafeMutablePointer<CChar>? = outBase
                    var outLeft = chunkBytes
                    var inOpt: UnsafeMutablePointer<CChar>? = inPtr
                    let rc = iconv(cd, &inOpt, &inLeft, &outPtr, &outLeft)
                    inPtr = inOpt!
                    out.append(contentsOf: UnsafeRawBufferPointer(start: outBase, count: chunkBytes - outLeft))
                    if rc == -1 {
                        let err = errno
                        if err == E2BIG { continue }
                        // EILSEQ (invalid) or EINVAL (truncated at end)
                        if strict {
                            failure = .invalidBytes(offset: inBuf.count - inLeft)
                            return
                        }
                        out.append(contentsOf: replacement)
                        inPtr += 1
                        inLeft -= 1
                        _ = iconv(cd, nil, nil, nil, nil) // reset shift state
                    }
                }
            }
        }
        if let failure { return .failure(failure) }
        return .success(out)
    }
}
