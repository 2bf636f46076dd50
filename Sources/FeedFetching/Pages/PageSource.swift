import DyadCore
import Foundation

/// An article page's bytes as received, with what the extractor needs to decode them.
public struct PageDocument: Sendable, Equatable {
    public var bytes: [UInt8]
    /// The URL of the last hop (base for relative links, reported as where the page came from).
    public var url: String
    /// The `charset` of the HTTP Content-Type, when there was one.
    public var httpCharset: String?
    public var contentType: String?

    public init(bytes: [UInt8], url: String, httpCharset: String? = nil, contentType: String? = nil) {
        self.bytes = bytes; self.url = url; self.httpCharset = httpCharset; self.contentType = contentType
    }
}

/// What asking a source for a page gave.
public enum PageResponse: Sendable, Equatable {
    case page(PageDocument)
    /// No page: the fixed class (never `.pending`/`.extracted`), a human-readable detail, and the
    /// server's `Retry-After` in seconds when a 429/503 sent one (`PageRetryPolicy` honours it).
    case failed(FulltextStatus, String, retryAfter: TimeInterval? = nil)
}

/// Where article pages come from: the web (`HTTPPageSource`) or a saved archive (replay). Both
/// feed the same extraction, storage and analysis code.
public protocol PageSource: Sendable {
    /// Blocks until the page is there or has failed.
    func page(for url: String) -> PageResponse
}
