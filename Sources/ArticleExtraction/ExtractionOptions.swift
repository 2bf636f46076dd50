/// Limits and thresholds of one `ArticleExtractor`.
public struct ExtractionOptions: Sendable {
    /// Fewer characters of body text than this make the page `too_short` (paywall, consent wall,
    /// video page, index page).
    public var minTextLength: Int
    /// The default `minTextLength`, for the daemon's `[fulltext] min_text_length` and the
    /// `extract` command alike (the one place it is set).
    public static let defaultMinTextLength = 200
    /// Pages longer than this (after decoding to UTF-8) are cut before parsing, with a problem.
    public var maxInputBytes: Int
    /// Elements nested deeper than this are ignored (their text is not read).
    public var maxDepth: Int

    public init(minTextLength: Int = ExtractionOptions.defaultMinTextLength, maxInputBytes: Int = 16 * 1024 * 1024, maxDepth: Int = 512) {
        self.minTextLength = max(0, minTextLength)
        self.maxInputBytes = max(1024, maxInputBytes)
        self.maxDepth = max(8, maxDepth)
    }
}
