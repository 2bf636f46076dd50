import CCurl
import DyadCore
import Foundation
import Logging

/// Fetches many feeds at once on one libcurl multi handle: one slow or stalled server never
/// holds up the others. Enforces the global and per-host concurrency limits, follows redirects
/// by hand (≤ `maxRedirects`, http/https only, loops refused) and reports every hop.
public struct FeedFetcher: Sendable {
    public var policy: FetchPolicy
    /// For `Retry-After` HTTP dates.
    public var clock: any WallClock
    public var logger: Logger
    /// Longest the loop sleeps in `curl_multi_poll` before re-checking (curl wakes it earlier on activity).
    static let pollIntervalMs: Int32 = 200

    public init(policy: FetchPolicy, clock: any WallClock = SystemClock(), logger: Logger = Logger(label: "dyadwatch.fetch")) {
        self.policy = policy; self.clock = clock; self.logger = logger
    }

    /// Fetches every request and returns the results in request order. `onResult` is called as
    /// each completes (on this thread), e.g. to parse and store while others are still in flight.
    public func fetch(_ requests: [FetchRequest], onResult: ((FetchResult) -> Void)? = nil) -> [FetchResult] {
        CurlGlobal.ensureInitialized()
        guard let multi = curl_multi_init() else {
            return requests.map { failedImmediately($0, .transport(code: -1, message: "curl_multi_init failed")) }
        }
        defer { curl_multi_cleanup(multi) }
        _ = dyad_multi_setopt_long(multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, max(1, policy.concurrency))
        // A backstop only: `HostSlots` below is the limit (slow transfers may add up to perHost more).
        _ = dyad_multi_setopt_long(multi, CURLMOPT_MAX_HOST_CONNECTIONS, 2 * max(1, policy.perHostConcurrency))

        var results: [String: FetchResult] = [:]
        var pending: [CurlTransfer] = []
        var active: [UnsafeMutableRawPointer: (transfer: CurlTransfer, token: Int)] = [:]
        var slots = HostSlots(perHost: policy.perHostConcurrency, slowAfter: policy.slowTransferAfter)
        let start = DispatchTime.now().uptimeNanoseconds
        var order: [String] = []

        func finish(_ result: FetchResult) {
            results[result.id] = result
            onResult?(result)
        }

        for request in requests {
            order.append(request.id)
            let scheme = HTTPHeaderValues.scheme(request.url)
            guard scheme == "http" || scheme == "https", !HTTPHeaderValues.host(request.url).isEmpty else {
                finish(failedImmediately(request, .invalidURL(request.url)))
                continue
            }
            pending.append(CurlTransfer(request: request, policy: policy, startedAt: start))
        }

        while !pending.isEmpty || !active.isEmpty {
            // Start what the limits allow, oldest first, skipping servers already at their limit.
            var index = 0
            let now = HostSlots.monotonicNow()
            while active.count < max(1, policy.concurrency), index < pending.count {
                let transfer = pending[index]
                let host = transfer.host
                guard slots.canStart(host, now: now) else { index += 1; continue }
                pending.remove(at: index)
                let remaining = policy.timeout - elapsed(since: transfer.startedAt)
                guard remaining > 0 else {
                    finish(result(transfer, .failed(.timedOut("total timeout of \(Int(policy.timeout))s spent on redirects")), status: nil))
                    continue
                }
                guard let handle = transfer.makeHandle(remainingTimeout: remaining),
                      curl_multi_add_handle(multi, handle) == CURLM_OK else {
                    finish(result(transfer, .failed(.transport(code: -1, message: "could not set up the transfer")), status: nil))
                    continue
                }
                active[handle] = (transfer, slots.start(host, now: now))
            }

            var running: Int32 = 0
            _ = curl_multi_perform(multi, &running)
            var queued: Int32 = 0
            while let message = curl_multi_info_read(multi, &queued) {
                guard message.pointee.msg == CURLMSG_DONE, let handle = message.pointee.easy_handle,
                      let (transfer, token) = active.removeValue(forKey: handle) else { continue }
                let code = dyad_msg_result(message)
                var status = 0
                _ = dyad_easy_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
                var location: UnsafeMutablePointer<CChar>? = nil
                _ = dyad_easy_getinfo_str(handle, CURLINFO_REDIRECT_URL, &location)
                let redirectTarget = location.map { String(cString: $0) }
                curl_multi_remove_handle(multi, handle)
                slots.finish(transfer.host, token: token)
                switch evaluate(transfer, code: code, status: status, redirectTarget: redirectTarget) {
                case .done(let r):
                    transfer.releaseHandle()
                    finish(r)
                case .follow:
                    transfer.releaseHandle()
                    pending.insert(transfer, at: 0)
                }
            }
            if !active.isEmpty {
                _ = curl_multi_poll(multi, nil, 0, Self.pollIntervalMs, nil)
            }
        }
        return order.compactMap { results[$0] }
    }

    private enum Step { case done(FetchResult), follow }

    /// Decides what a finished hop means: a result, or another hop to follow.
    private func evaluate(_ t: CurlTransfer, code: CURLcode, status: Int, redirectTarget: String?) -> Step {
        let responseStatus = status > 0 ? status : nil
        if code != CURLE_OK {
            if t.bodyLimitExceeded {
                return .done(result(t, .failed(.bodyTooLarge(limit: policy.maxBody)), status: responseStatus))
            }
            let message = t.errorMessage.isEmpty ? String(cString: curl_easy_strerror(code)) : t.errorMessage
            let failure: FetchFailure
            switch code {
            case CURLE_COULDNT_CONNECT: failure = .connectionRefused(message)
            case CURLE_OPERATION_TIMEDOUT:
                failure = message.lowercased().contains("too slow") ? .stalled(message) : .timedOut(message)
            case CURLE_UNSUPPORTED_PROTOCOL: failure = .invalidURL(t.currentURL)
            case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY: failure = .dnsFailure(message)
            case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
                 CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH,
                 CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_CRL_BADFILE, CURLE_USE_SSL_FAILED, CURLE_SSL_CLIENTCERT:
                failure = .tlsFailure(message)
            case CURLE_BAD_CONTENT_ENCODING: failure = .badContentEncoding(message)
            case CURLE_TOO_MANY_REDIRECTS: failure = .tooManyRedirects(limit: policy.maxRedirects)
            default: failure = .transport(code: Int(code.rawValue), message: message)
            }
            return .done(result(t, .failed(failure), status: responseStatus))
        }
        if [301, 302, 303, 307, 308].contains(status), let target = redirectTarget {
            let scheme = HTTPHeaderValues.scheme(target)
            guard scheme == "http" || scheme == "https" else {
                logger.warning("redirect to a non-http(s) URL refused", metadata: ["feed": "\(t.request.id)", "to": "\(target)"])
                return .done(result(t, .failed(.forbiddenRedirect(url: target)), status: status))
            }
            guard t.hops.count < policy.maxRedirects else {
                return .done(result(t, .failed(.tooManyRedirects(limit: policy.maxRedirects)), status: status))
            }
            guard !t.visited.contains(target) else {
                return .done(result(t, .failed(.redirectLoop(url: target)), status: status))
            }
            t.hops.append(RedirectHop(status: status, from: t.currentURL, to: target))
            t.visited.insert(target)
            t.currentURL = target
            return .follow
        }
        switch status {
        case 304:
            return .done(result(t, .notModified, status: status))
        case 200..<300:
            return .done(result(t, .document(t.body), status: status))
        default:
            return .done(result(t, .failed(.httpStatus(status)), status: status))
        }
    }

    private func result(_ t: CurlTransfer, _ outcome: FetchOutcome, status: Int?) -> FetchResult {
        let h = t.headers
        var permanent: String? = nil
        for hop in t.hops { if hop.isPermanent { permanent = hop.to } else { break } }
        var retryAfter: TimeInterval? = nil
        if let value = h["retry-after"] { retryAfter = HTTPHeaderValues.retryAfter(value, now: clock.now()) }
        return FetchResult(
            id: t.request.id, requestedURL: t.request.url, finalURL: t.currentURL, outcome: outcome, status: status,
            redirects: t.hops, permanentURL: permanent, etag: h["etag"], lastModified: h["last-modified"],
            retryAfter: retryAfter, maxAge: h["cache-control"].flatMap(HTTPHeaderValues.maxAge),
            contentType: h["content-type"], charset: h["content-type"].flatMap(HTTPHeaderValues.charset),
            bytes: t.bodyBytes, duration: elapsed(since: t.startedAt))
    }

    private func failedImmediately(_ r: FetchRequest, _ failure: FetchFailure) -> FetchResult {
        FetchResult(id: r.id, requestedURL: r.url, finalURL: r.url, outcome: .failed(failure), status: nil, redirects: [],
                    permanentURL: nil, etag: nil, lastModified: nil, retryAfter: nil, maxAge: nil, contentType: nil,
                    charset: nil, bytes: 0, duration: 0)
    }

    private func elapsed(since start: UInt64) -> TimeInterval {
        TimeInterval(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }
}

/// `curl_global_init` exactly once per process, before the first handle.
enum CurlGlobal {
    private static let initialized: Bool = {
        curl_global_init(Int(CURL_GLOBAL_DEFAULT)) == CURLE_OK
    }()
    static func ensureInitialized() { _ = initialized }

    /// `libcurl/7.88.1`, for logs and the version banner.
    public static var version: String { String(cString: curl_version()) }
}
