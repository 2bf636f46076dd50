import Foundation
import HTTPTypes

/// One answer from a route: status, content type, body and any extra headers. The server adds
/// Content-Length, `Connection: close` and the caching/sniffing headers every answer carries.
struct RouteReply: Sendable {
    var status: HTTPResponse.Status
    var contentType: String
    var body: Data
    var extraHeaders: [(HTTPField.Name, String)] = []

    static func text(_ status: HTTPResponse.Status, _ text: String) -> RouteReply {
        RouteReply(status: status, contentType: "text/plain; charset=utf-8", body: Data((text + "\n").utf8))
    }

    /// The response head: every connection serves one request and is closed.
    var head: HTTPResponse {
        var fields = HTTPFields()
        fields[.contentType] = contentType
        fields[.contentLength] = String(body.count)
        fields[.connection] = "close"
        fields[.cacheControl] = "no-store"
        fields[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        for (name, value) in extraHeaders { fields.append(HTTPField(name: name, value: value)) }
        return HTTPResponse(status: status, headerFields: fields)
    }
}
