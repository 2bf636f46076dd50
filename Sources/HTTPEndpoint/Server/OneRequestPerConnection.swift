import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Marks every request `Connection: close`, so Hummingbird answers it and then closes the
/// connection instead of waiting for another request or reading the rest of a refused body.
/// Scrapes and page loads are rare; one request per connection keeps every connection short.
final class OneRequestPerConnection: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .head(var head) = unwrapInboundIn(data) else { context.fireChannelRead(data); return }
        head.headerFields[.connection] = "close"
        context.fireChannelRead(wrapInboundOut(.head(head)))
    }
}
