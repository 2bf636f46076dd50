import Foundation

/// Bounds that keep one hostile or broken document from exhausting memory or time.
/// The XML parser stops (and reports a problem) when any of them is crossed.
public struct ParserLimits: Sendable, Equatable {
    /// Largest document accepted, in bytes; bigger input is cut here and reported as truncated.
    public var maxDocumentBytes: Int
    /// Deepest element nesting accepted (feeds nest about 6 deep; HTML inside them a few more).
    public var maxDepth: Int
    /// Most text (after entity expansion) accepted per input byte, guarding entity amplification.
    public var maxExpansionRatio: Int
    /// Text always allowed regardless of ratio, so tiny documents with short entities still work.
    public var minTextBudgetBytes: Int
    /// Most entries kept from one document.
    public var maxEntries: Int

    public init(maxDocumentBytes: Int = 64 << 20, maxDepth: Int = 200, maxExpansionRatio: Int = 8,
                minTextBudgetBytes: Int = 1 << 20, maxEntries: Int = 50_000) {
        self.maxDocumentBytes = maxDocumentBytes
        self.maxDepth = maxDepth
        self.maxExpansionRatio = maxExpansionRatio
        self.minTextBudgetBytes = minTextBudgetBytes
        self.maxEntries = maxEntries
    }

    /// Sensible limits for news feeds.
    public static let `default` = ParserLimits()

    /// Bytes of character data the parser may produce for an input of `inputBytes` bytes.
    func textBudget(forInputBytes inputBytes: Int) -> Int {
        max(minTextBudgetBytes, inputBytes.multipliedReportingOverflow(by: maxExpansionRatio).partialValue)
    }
}
