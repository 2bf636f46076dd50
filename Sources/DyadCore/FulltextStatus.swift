/// Where an entry's article page stands (`entries.fulltext_status`), and the fixed class of a
/// failed page in `fulltext_failed class=…` log lines. Shared by fetching (which maps transfer
/// failures), storage (which keeps it) and the pipeline (which decides it).
public enum FulltextStatus: String, Sendable, CaseIterable, Codable {
    /// Waiting for its page: the durable page queue is the set of pending entries.
    case pending
    /// The page was fetched and its main text extracted and stored.
    case extracted
    /// Extraction found less text than `min_text_length` (paywall, consent wall, video page).
    case tooShort = "too_short"
    /// The response was not an HTML page (PDF, image, feed…).
    case notHTML = "not_html"
    /// The page had no readable text at all.
    case empty
    /// robots.txt disallows the path.
    case robots
    /// robots.txt could not be read (5xx, no answer): complete disallow for now (RFC 9309), so the
    /// page is asked for again once robots.txt is (`PageRetryPolicy`).
    case robotsUnreachable = "robots_unreachable"
    /// The entry has no link, or it is not an http(s) URL (nor is a redirect target).
    case badScheme = "bad_scheme"
    // Transfer failures: the same classes, by the same rules, as feed polls (`FeedErrorClass`).
    case timeout, stalled, dns, connect, tls, gone
    case tooLarge = "too_large"
    case redirectLoop = "redirect_loop"
    case tooManyRedirects = "too_many_redirects"
    case http4xx = "http_4xx"
    case http5xx = "http_5xx"
    case rateLimited = "rate_limited"
    case encodingError = "encoding_error"
    /// Replay only: the link is not in the page archive.
    case absent
    /// The page queue was full when the entry arrived; it keeps its feed text.
    case queueFull = "queue_full"

    /// The class of a failed page transfer: the feed class of the same name.
    public init(transfer: FeedErrorClass) {
        self = FulltextStatus(rawValue: transfer.rawValue) ?? .connect
    }

    /// A page was received (whatever extraction then made of it).
    public var pageReceived: Bool {
        switch self {
        case .extracted, .tooShort, .notHTML, .empty: return true
        default: return false
        }
    }

    /// Neither pending nor extracted: the entry goes on with its feed text.
    public var isFailure: Bool { self != .pending && self != .extracted }
}
