/// `trimmingCharacters(in: .whitespacesAndNewlines)` without Foundation: on Linux that call goes
/// through `NSString` (UTF-16 copies, a substring), and it ran several times per stored entry.
extension String {
    /// The string without leading and trailing white space and newlines: the scalars of
    /// `CharacterSet.whitespacesAndNewlines` (see `isWhitespaceOrNewline`), a test checks the two agree.
    public func trimmingWhitespaceAndNewlines() -> String {
        let scalars = unicodeScalars
        var start = scalars.startIndex
        var end = scalars.endIndex
        while start < end, Self.isWhitespaceOrNewline(scalars[start]) { start = scalars.index(after: start) }
        while start < end {
            let last = scalars.index(before: end)
            guard Self.isWhitespaceOrNewline(scalars[last]) else { break }
            end = last
        }
        if start == scalars.startIndex && end == scalars.endIndex { return self }
        return String(scalars[start..<end])
    }

    /// What swift-corelibs-foundation's `.whitespacesAndNewlines` holds: tab, line feed … carriage
    /// return, space, next line, no-break space, the separators of categories Zs, Zl and Zp, and
    /// the zero-width space U+200B (Zs in older Unicode). Stored dedup keys depend on it: do not change.
    public static func isWhitespaceOrNewline(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x09...0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200B, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: return true
        default: return false
        }
    }
}
