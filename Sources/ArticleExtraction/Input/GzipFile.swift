import CZlib

/// gzip decompression for saved pages (`.html.gz`), bounded so a gzip bomb cannot fill memory.
public enum GzipFile {
    public enum Failure: Error, CustomStringConvertible {
        case corrupt(String)
        case tooLarge(Int)
        public var description: String {
            switch self {
            case .corrupt(let why): return "not valid gzip data (\(why))"
            case .tooLarge(let limit): return "decompresses to more than \(limit) bytes"
            }
        }
    }

    /// Decompressed size allowed by default.
    public static let defaultLimit = 64 * 1024 * 1024

    public static func isGzip(_ bytes: [UInt8]) -> Bool { bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B }

    /// The decompressed bytes of one or more concatenated gzip members.
    public static func decompress(_ input: [UInt8], limit: Int = defaultLimit) throws -> [UInt8] {
        var stream = z_stream()
        guard dyad_inflateInit2(&stream, 15 + 32) == Z_OK else { throw Failure.corrupt("zlib init failed") }
        defer { inflateEnd(&stream) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 256 * 1024)
        try input.withUnsafeBufferPointer { inBuf in
            stream.next_in = UnsafeMutablePointer(mutating: inBuf.baseAddress)
            stream.avail_in = uInt(inBuf.count)
            while true {
                let (rc, produced) = chunk.withUnsafeMutableBufferPointer { outBuf -> (Int32, Int) in
                    stream.next_out = outBuf.baseAddress
                    stream.avail_out = uInt(outBuf.count)
                    let rc = inflate(&stream, Z_NO_FLUSH)
                    return (rc, outBuf.count - Int(stream.avail_out))
                }
                out.append(contentsOf: chunk[0..<produced])
                if out.count > limit { throw Failure.tooLarge(limit) }
                switch rc {
                case Z_STREAM_END:
                    // Another member may follow (concatenated gzip files).
                    if stream.avail_in == 0 { return }
                    guard inflateReset(&stream) == Z_OK else { throw Failure.corrupt("reset failed") }
                case Z_OK:
                    if produced == 0 && stream.avail_in == 0 { throw Failure.corrupt("truncated") }
                case Z_BUF_ERROR:
                    if stream.avail_in == 0 { throw Failure.corrupt("truncated") }
                default:
                    throw Failure.corrupt(stream.msg.map { String(cString: $0) } ?? "error \(rc)")
                }
            }
        }
        return out
    }
}
