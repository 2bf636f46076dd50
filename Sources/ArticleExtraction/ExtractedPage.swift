import Foundation

/// What an extraction made of a page.
public enum ExtractionVerdict: String, Sendable {
    /// A body of at least `minTextLength` characters was found.
    case extracted
    /// The page parsed but holds too little body text (paywall, consent wall, video or index page).
    case tooShort = "too_short"
    /// The bytes are not an HTML page (binary data, an image, a PDF, plain JSON…).
    case notHTML = "not_html"
    /// There was nothing to read (no bytes, or only whitespace).
    case empty
}

/// The main text and metadata of one web page.
public struct ExtractedPage: Sendable, Equatable {
    /// The article's headline (og:title, JSON-LD headline, `<h1>`, `<title>` without the site name).
    public var title: String?
    /// The body as plain paragraphs separated by a blank line (`paragraphs` joined by "\n\n").
    public var text: String
    public var paragraphs: [String]
    /// When the article was first published (JSON-LD, `article:published_time`, meta, `<time>`).
    public var published: Date?
    public var author: String?
    /// The page's own preferred URL (`<link rel=canonical>`, og:url), absolute.
    public var canonicalURL: String?
    /// The page's declared language (`<html lang>`, Content-Language, og:locale), lower case.
    public var language: String?
    /// The charset the page was read as.
    public var encoding: String?
    /// Everything that went wrong or was cut, in plain words.
    public var problems: [String]
    public var verdict: ExtractionVerdict

    public init(title: String? = nil, text: String = "", paragraphs: [String] = [], published: Date? = nil,
                author: String? = nil, canonicalURL: String? = nil, language: String? = nil, encoding: String? = nil,
                problems: [String] = [], verdict: ExtractionVerdict) {
        self.title = title
        self.text = text
        self.paragraphs = paragraphs
        self.published = published
        self.author = author
        self.canonicalURL = canonicalURL
        self.language = language
        self.encoding = encoding
        self.problems = problems
        self.verdict = verdict
    }
}
