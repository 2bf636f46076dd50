import CLibXML2

/// Resolves relative references (RFC 3986) against a base URL with libxml2's `xmlBuildURI`.
public enum URLResolver {
    /// `reference` made absolute against `base`; unchanged when there is no base or it cannot be
    /// resolved. Surrounding whitespace (common in hand-written feeds) is trimmed first.
    public static func resolve(_ reference: String, against base: String?) -> String {
        let ref = reference.trimmingASCIIWhitespace()
        guard let base, !base.isEmpty else { return ref }
        if ref.hasPrefix("http://") || ref.hasPrefix("https://") { return ref }
        guard let built = xmlBuildURI(ref, base) else { return ref }
        defer { dyad_xmlFree(built) }
        return String(cString: built)
    }
}

extension String {
    /// The string without leading and trailing ASCII whitespace (space, tab, CR, LF, FF).
    /// (Scans the contiguous UTF-8 directly: it runs on nearly every text field of every entry.)
    public func trimmingASCIIWhitespace() -> String {
        var s = self
        return s.withUTF8 { buf -> String in
            var lo = 0, hi = buf.count
            while lo < hi && Self.isASCIISpace(buf[lo]) { lo += 1 }
            while hi > lo && Self.isASCIISpace(buf[hi - 1]) { hi -= 1 }
            if lo == 0 && hi == buf.count { return self }
            if lo == hi { return "" }
            // Cut at ASCII bytes, so the slice is valid UTF-8 whenever the string is.
            return String(decoding: UnsafeBufferPointer(rebasing: buf[lo..<hi]), as: UTF8.self)
        }
    }

    static func isASCIISpace(_ b: UInt8) -> Bool {
        b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D || b == 0x0C
    }
}
