/// Why a poll of a feed failed, as a fixed word an operator can count and alert on. Every
/// failure log line carries one (`error_class=…`), `status` shows it, and the state database
/// stores it (`feeds.last_error_class`). The reference with causes and remedies is
/// `docs/errors.md`; a new case needs a line there.
public enum FeedErrorClass: String, Sendable, CaseIterable, Codable {
    /// The whole fetch (all redirect hops) took longer than `[daemon] timeout`, or connecting took longer than `connect_timeout`.
    case timeout
    /// Fewer than `low_speed_limit` bytes/s for `low_speed_time`: a slow drip or a server that went silent.
    case stalled
    /// The (decompressed) body passed `max_body`, or a Content-Length announced more.
    case tooLarge = "too_large"
    /// A redirect led back to a URL already visited.
    case redirectLoop = "redirect_loop"
    /// More than `max_redirects` hops.
    case tooManyRedirects = "too_many_redirects"
    /// The URL or a redirect target is not http/https (`file:`, `ftp:`, …), or no URL at all.
    case badScheme = "bad_scheme"
    /// The host name did not resolve.
    case dns
    /// The connection was refused, reset or closed before a complete response.
    case connect
    /// TLS handshake or certificate verification failed.
    case tls
    /// A 4xx status other than 410 and 429 (or another non-2xx status that is neither a redirect nor 5xx).
    case http4xx = "http_4xx"
    /// A 5xx status.
    case http5xx = "http_5xx"
    /// 410 Gone: the feed is disabled until its URL changes in feeds.conf.
    case gone
    /// 429 Too Many Requests.
    case rateLimited = "rate_limited"
    /// A 2xx body that is no RSS/Atom/JSON feed (an HTML page, another XML vocabulary, junk).
    case notAFeed = "not_a_feed"
    /// A 2xx response with an empty (or all-whitespace) body.
    case empty
    /// A feed so broken that nothing could be read from it.
    case parseError = "parse_error"
    /// The body could not be decoded: a corrupt gzip/deflate/br stream, or text in no charset we can read.
    case encodingError = "encoding_error"
    /// Our side: the state database could not be written (disk full, read-only, locked too long).
    case storage
}
