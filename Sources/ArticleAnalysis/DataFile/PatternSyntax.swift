import Foundation

/// The pattern syntax of the data files on UTF-8 bytes: `{a|b|}` alternative endings and the
/// `'` / `’` apostrophe variants (`AnalysisData.addPatterns` handles `=` and `*`).
enum PatternSyntax {
    /// Cap on alternation expansion per pattern, so a typo cannot explode memory.
    static let maxExpansions = 512

    /// Expands `{a|b|}` groups into every combination.
    static func expand(_ pattern: [UInt8], _ url: URL, _ line: Int) throws -> [[UInt8]] {
        func failure(_ message: String) -> AnalysisDataError {
            AnalysisDataError(file: url.path, line: line, message: message)
        }
        let text = { String(decoding: pattern, as: UTF8.self) }
        var results: [[UInt8]] = [[]]
        var rest = pattern[...]
        while let open = rest.firstIndex(of: UInt8(ascii: "{")) {
            guard let close = rest[open...].firstIndex(of: UInt8(ascii: "}")) else {
                throw failure("unclosed '{' in '\(text())'")
            }
            let prefix = rest[..<open]
            let options = rest[(open + 1)..<close].split(separator: UInt8(ascii: "|"), omittingEmptySubsequences: false)
            results = results.flatMap { r in options.map { r + prefix + $0 } }
            if results.count > maxExpansions {
                throw failure("'\(text())' expands to more than \(maxExpansions) forms")
            }
            rest = rest[(close + 1)...]
        }
        if rest.contains(UInt8(ascii: "}")) { throw failure("stray '}' in '\(text())'") }
        return results.map { $0 + rest }
    }

    /// The UTF-8 of `’` (U+2019), which `'` in a pattern also matches.
    static let rightQuote: [UInt8] = [0xE2, 0x80, 0x99]

    /// `people's` also as `people’s`.
    static func apostropheVariants(_ s: [UInt8]) -> [[UInt8]] {
        guard s.contains(UInt8(ascii: "'")) else { return [s] }
        var curly: [UInt8] = []
        curly.reserveCapacity(s.count + 8)
        for b in s {
            if b == UInt8(ascii: "'") { curly.append(contentsOf: rightQuote) } else { curly.append(b) }
        }
        return [s, curly]
    }
}
