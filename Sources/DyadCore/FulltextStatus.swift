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
    /// robots.txt disallows the path (or could not be read: complete disallow, RFC 9309).
    case robots
    /// No complete response within the page timeout, or the transfer stalled.
    case timeout
    case http4xx = "http_4xx"
    case http5xx = "http_5xx"
    /// The decoded page passed `max_body`.
    case tooLarge = "too_large"
    /// Too many redirects, a loop, or a redirect to a non-http(s) URL.
    case redirect
    /// Connection refused, DNS, TLS, reset.
    case network
    /// The entry's link is missing or not an http(s) URL.
    case invalidURL = "invalid_url"
    /// Replay only: the link is not in the page archive.
    case absent
    /// The page queue was full when the entry arrived; it keeps its feed text.
    case queueFull = "queue_full"

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
