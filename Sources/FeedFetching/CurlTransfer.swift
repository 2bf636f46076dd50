import CCurl
import Foundation

/// One feed's fetch in flight: the curl easy handle of the current hop, the response being
/// received, and the redirect chain so far. Lives on the fetch loop's thread only.
final class CurlTransfer {
    let request: FetchRequest
    let policy: FetchPolicy
    /// Monotonic start of the first hop; the total timeout runs from here across hops.
    let startedAt: UInt64
    /// URL of the current hop; setting it re-derives `host`.
    var currentURL: String { didSet { host = HostSlots.key(currentURL) } }
    /// `host:port` of the current hop, the per-host limit's key (cached: consulted on every loop turn).
    private(set) var host: String
    var hops: [RedirectHop] = []
    var visited: Set<String>
    private(set) var handle: UnsafeMutableRawPointer?
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)

    // The response of the current hop.
    var headers: [String: String] = [:]
    var body = Data()
    var bodyBytes: Int64 = 0
    var bodyLimitExceeded = false

    init(request: FetchRequest, policy: FetchPolicy, startedAt: UInt64) {
        self.request = request; self.policy = policy; self.startedAt = startedAt
        currentURL = request.url
        host = HostSlots.key(request.url)
        visited = [request.url]
    }

    deinit {
        releaseHandle()
        errorBuffer.deallocate()
    }

    var errorMessage: String {
        let s = String(cString: errorBuffer)
        return s.isEmpty ? "" : s
    }

    /// Creates and configures the easy handle for the current hop; nil when curl refuses an option.
    func makeHandle(remainingTimeout: TimeInterval) -> UnsafeMutableRawPointer? {
        releaseHandle()
        headers = [:]; body = Data(); bodyBytes = 0; bodyLimitExceeded = false
        errorBuffer[0] = 0
        guard let h = curl_easy_init() else { return nil }
        handle = h
        let context = Unmanaged.passUnretained(self).toOpaque()
        var ok = true
        func set(_ code: CURLcode) { if code != CURLE_OK { ok = false } }
        set(dyad_easy_setopt_str(h, CURLOPT_URL, currentURL))
        set(dyad_easy_setopt_long(h, CURLOPT_NOSIGNAL, 1))
        // Redirects are followed by hand so that every hop's status and scheme are checked.
        set(dyad_easy_setopt_long(h, CURLOPT_FOLLOWLOCATION, 0))
        set(dyad_easy_setopt_str(h, CURLOPT_PROTOCOLS_STR, "http,https"))
        set(dyad_easy_setopt_str(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https"))
        // "" = every encoding this libcurl can decode (gzip, deflate, …); bodies arrive decoded.
        set(dyad_easy_setopt_str(h, CURLOPT_ACCEPT_ENCODING, ""))
        set(dyad_easy_setopt_str(h, CURLOPT_USERAGENT, policy.userAgent))
        set(dyad_easy_setopt_long(h, CURLOPT_CONNECTTIMEOUT_MS, CurlTransfer.milliseconds(min(policy.connectTimeout, remainingTimeout))))
        set(dyad_easy_setopt_long(h, CURLOPT_TIMEOUT_MS, CurlTransfer.milliseconds(remainingTimeout)))
        set(dyad_easy_setopt_long(h, CURLOPT_LOW_SPEED_LIMIT, Int(policy.lowSpeedLimit)))
        set(dyad_easy_setopt_long(h, CURLOPT_LOW_SPEED_TIME, max(1, Int(policy.lowSpeedTime.rounded()))))
        set(dyad_easy_setopt_ptr(h, CURLOPT_ERRORBUFFER, errorBuffer))
        set(dyad_easy_setopt_datacb(h, CURLOPT_WRITEFUNCTION, curlWriteCallback))
        set(dyad_easy_setopt_ptr(h, CURLOPT_WRITEDATA, context))
        set(dyad_easy_setopt_datacb(h, CURLOPT_HEADERFUNCTION, curlHeaderCallback))
        set(dyad_easy_setopt_ptr(h, CURLOPT_HEADERDATA, context))

        var list: UnsafeMutablePointer<curl_slist>? = nil
        list = curl_slist_append(list, "Accept: \(policy.accept)")
        if let etag = request.etag, !etag.isEmpty { list = curl_slist_append(list, "If-None-Match: \(etag)") }
        if let lm = request.lastModified, !lm.isEmpty { list = curl_slist_append(list, "If-Modified-Since: \(lm)") }
        headerList = list
        set(dyad_easy_setopt_slist(h, CURLOPT_HTTPHEADER, list))
        return ok ? h : nil
    }

    func releaseHandle() {
        if let h = handle { curl_easy_cleanup(h); handle = nil }
        if let l = headerList { curl_slist_free_all(l); headerList = nil }
    }

    // MARK: Callbacks

    /// Body bytes (already decoded): appended until the cap; returning less than given aborts.
    func receiveBody(_ data: UnsafeMutablePointer<CChar>?, _ count: Int) -> Int {
        guard count > 0, let data else { return count }
        bodyBytes += Int64(count)
        if bodyBytes > policy.maxBody {
            bodyLimitExceeded = true
            return 0  // CURLE_WRITE_ERROR: the transfer stops here, nothing more is decompressed
        }
        data.withMemoryRebound(to: UInt8.self, capacity: count) { body.append($0, count: count) }
        return count
    }

    /// One header line. A status line starts a new response (1xx), clearing what came before.
    func receiveHeader(_ data: UnsafeMutablePointer<CChar>?, _ count: Int) -> Int {
        guard count > 0, let data else { return count }
        // Byte-level split and trim: this runs for every header of every response.
        let bytes = UnsafeBufferPointer(start: UnsafeRawPointer(data).assumingMemoryBound(to: UInt8.self), count: count)
        if count >= 5, bytes[0] == UInt8(ascii: "H"), bytes[1] == UInt8(ascii: "T"), bytes[2] == UInt8(ascii: "T"),
           bytes[3] == UInt8(ascii: "P"), bytes[4] == UInt8(ascii: "/") {
            headers = [:]  // a new response (after a 1xx) starts
            return count
        }
        guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")) else { return count }
        let name = String(decoding: Self.trimmed(bytes[..<colon]), as: UTF8.self).lowercased()
        let value = String(decoding: Self.trimmed(bytes[(colon + 1)...]), as: UTF8.self)
        headers[name] = headers[name].map { "\($0), \(value)" } ?? value
        // A declared length over the cap is refused before any body byte is read.
        if name == "content-length", let length = Int64(value), length > policy.maxBody {
            bodyLimitExceeded = true
            return 0
        }
        return count
    }

    /// Drops leading and trailing spaces, tabs, CR and LF.
    static func trimmed(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) -> Slice<UnsafeBufferPointer<UInt8>> {
        func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0D || b == 0x0A }
        var start = bytes.startIndex, end = bytes.endIndex
        while start < end, isSpace(bytes[start]) { start += 1 }
        while end > start, isSpace(bytes[end - 1]) { end -= 1 }
        return bytes[start..<end]
    }

    static func milliseconds(_ seconds: TimeInterval) -> Int { max(1, Int((seconds * 1000).rounded())) }
}

/// C entry points for curl; the context pointer is the unretained `CurlTransfer`.
private let curlWriteCallback: dyad_data_cb = { data, size, count, context in
    guard let context else { return 0 }
    return Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue().receiveBody(data, size * count)
}

private let curlHeaderCallback: dyad_data_cb = { data, size, count, context in
    guard let context else { return 0 }
    return Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue().receiveHeader(data, size * count)
}
