import CLibXML2

/// Resolves relative references (RFC 3986) against a base URL with libxml2's `xmlBuildURI`.
enum URLResolver {
    /// `reference` made absolute against `base`; unchanged when there is no base or it cannot be
    /// resolved. Surrounding whitespace (common in hand-written feeds) is trimmed first.
    static func resolve(_ reference: String, against base: String?) -> String {
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
    func trimmingASCIIWhitespace() -> String {
        let utf8 = self.utf8
        guard let first = utf8.firstIndex(where: { !Self.isASCIISpace($0) }) else { return "" }
        let last = utf8.lastIndex(where: { !Self.isASCIISpace($0) })!
        if first == utf8.startIndex && last == utf8.index(before: utf8.endIndex) { return self }
        return String(self[first...last])
    }

    static func isASCIISpace(_ b: UInt8) -> Bool {
        b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D || b == 0x0C
    }
}
