import DyadCore
import Foundation

/// One feed to fetch: where, and the validators from the last successful poll.
public struct FetchRequest: Sendable, Equatable {
    /// Caller's identifier (the feed id), echoed in the result.
    public var id: String
    public var url: String
    public var etag: String?
    public var lastModified: String?

    public init(id: String, url: String, etag: String? = nil, lastModified: String? = nil) {
        self.id = id; self.url = url; self.etag = etag; self.lastModified = lastModified
    }
}

/// Limits that keep one fetch cycle polite to servers and safe for us.
public struct FetchPolicy: Sendable, Equatable {
    /// Transfers in flight at once, over all hosts.
    public var concurrency: Int
    /// Transfers in flight at once to one server (`host:port`); see `HostSlots` for slow ones.
    public var perHostConcurrency: Int
    /// After this long a transfer no longer holds its host slot (`HostSlots`).
    public var slowTransferAfter: TimeInterval = HostSlots.defaultSlowAfter
    public var connectTimeout: TimeInterval
    /// Whole fetch of one feed, all redirect hops included.
    public var timeout: TimeInterval
    /// Bytes/s below which, for `lowSpeedTime`, a transfer counts as stalled and is aborted.
    public var lowSpeedLimit: Int64
    public var lowSpeedTime: TimeInterval
    /// Cap on the (decompressed) body; larger responses are cut off and reported.
    public var maxBody: Int64
    /// Redirect hops followed before giving up (at most 5 by the configuration's limits).
    public var maxRedirects: Int
    public var userAgent: String
    /// The `Accept` header: feed types for feeds, HTML for article pages.
    public var accept: String

    /// What feed polls ask for.
    public static let feedAccept = "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.5"
    /// What article page fetches ask for.
    public static let pageAccept = "text/html, application/xhtml+xml;q=0.9, */*;q=0.1"

    public init(concurrency: Int = 16, perHostConcurrency: Int = 2, connectTimeout: TimeInterval = 15,
                timeout: TimeInterval = 60, lowSpeedLimit: Int64 = 100, lowSpeedTime: TimeInterval = 30,
                maxBody: Int64 = 10 << 20, maxRedirects: Int = 5, userAgent: String,
                accept: String = FetchPolicy.feedAccept) {
        self.concurrency = concurrency; self.perHostConcurrency = perHostConcurrency
        self.connectTimeout = connectTimeout; self.timeout = timeout; self.lowSpeedLimit = lowSpeedLimit
        self.lowSpeedTime = lowSpeedTime; self.maxBody = maxBody; self.maxRedirects = maxRedirects
        self.userAgent = userAgent; self.accept = accept
    }
}

/// One redirect followed: the status that sent us on and where.
public struct RedirectHop: Sendable, Equatable {
    public var status: Int
    public var from: String
    public var to: String
    /// 301 and 308 move a resource for good; 302, 303 and 307 do not.
    public var isPermanent: Bool { status == 301 || status == 308 }
}

/// Why a fetch produced no usable document.
public enum FetchFailure: Sendable, Equatable, CustomStringConvertible {
    /// A non-2xx/304 final status (404, 410, 429, 500, …).
    case httpStatus(Int)
    /// The (decompressed) body passed the cap; the transfer was cut there.
    case bodyTooLarge(limit: Int64)
    case tooManyRedirects(limit: Int)
    case redirectLoop(url: String)
    /// A redirect to a scheme other than http/https (`file://`, `ftp://`, …).
    case forbiddenRedirect(url: String)
    /// The URL itself is not http(s) or not a URL.
    case invalidURL(String)
    case connectionRefused(String)
    case timedOut(String)
    /// Fewer than the low-speed limit bytes/s for the low-speed time.
    case stalled(String)
    /// The host name did not resolve.
    case dnsFailure(String)
    /// TLS handshake or certificate verification failed.
    case tlsFailure(String)
    /// The Content-Encoding (gzip, deflate, br) could not be decoded.
    case badContentEncoding(String)
    /// Any other transport error (reset, abrupt close, empty reply), with curl's message.
    case transport(code: Int, message: String)

    public var description: String {
        switch self {
        case .httpStatus(let s): return "HTTP \(s)"
        case .bodyTooLarge(let limit): return "body larger than \(limit) bytes; cut at the cap"
        case .tooManyRedirects(let limit): return "more than \(limit) redirects"
        case .redirectLoop(let url): return "redirect loop at \(url)"
        case .forbiddenRedirect(let url): return "redirect to a non-http(s) URL refused: \(url)"
        case .invalidURL(let url): return "not an http(s) URL: \(url)"
        case .connectionRefused(let m): return "connection failed: \(m)"
        case .timedOut(let m): return "timed out: \(m)"
        case .stalled(let m): return "stalled: \(m)"
        case .dnsFailure(let m): return "DNS: \(m)"
        case .tlsFailure(let m): return "TLS: \(m)"
        case .badContentEncoding(let m): return "undecodable content encoding: \(m)"
        case .transport(let code, let m): return "transport error \(code): \(m)"
        }
    }

    /// The fixed class of this failure (see `FeedErrorClass`).
    public var errorClass: FeedErrorClass {
        switch self {
        case .httpStatus(410): return .gone
        case .httpStatus(429): return .rateLimited
        case .httpStatus(let s) where (500..<600).contains(s): return .http5xx
        case .httpStatus: return .http4xx
        case .bodyTooLarge: return .tooLarge
        case .tooManyRedirects: return .tooManyRedirects
        case .redirectLoop: return .redirectLoop
        case .forbiddenRedirect, .invalidURL: return .badScheme
        case .connectionRefused, .transport: return .connect
        case .timedOut: return .timeout
        case .stalled: return .stalled
        case .dnsFailure: return .dns
        case .tlsFailure: return .tls
        case .badContentEncoding: return .encodingError
        }
    }
}

/// What came back for one request.
public enum FetchOutcome: Sendable, Equatable {
    /// 2xx: the document (decompressed).
    case document(Data)
    /// 304: unchanged since the validators we sent.
    case notModified
    case failed(FetchFailure)
}

/// The result of fetching one request, with everything the scheduler and storage need.
public struct FetchResult: Sendable, Equatable {
    public var id: String
    public var requestedURL: String
    /// The URL of the last hop.
    public var finalURL: String
    public var outcome: FetchOutcome
    /// Final HTTP status; nil when no response arrived.
    public var status: Int?
    public var redirects: [RedirectHop]
    /// Where to poll from now on when the chain began with 301/308 hops: the target of the last
    /// consecutive permanent hop from the start. Nil when the URL did not move for good.
    public var permanentURL: String?
    public var etag: String?
    public var lastModified: String?
    /// Seconds to wait from a 429/503 `Retry-After` (delta or HTTP date); nil when absent.
    public var retryAfter: TimeInterval?
    /// Cache-Control `max-age` of the final response, seconds.
    public var maxAge: TimeInterval?
    public var contentType: String?
    /// The `charset` parameter of Content-Type, for the parser.
    public var charset: String?
    /// Decompressed body bytes received (also when the body was cut at the cap).
    public var bytes: Int64
    public var duration: TimeInterval

    public var isSuccess: Bool {
        switch outcome { case .document, .notModified: return true; case .failed: return false }
    }
    public var failure: FetchFailure? {
        if case .failed(let f) = outcome { return f }
        return nil
    }
}
