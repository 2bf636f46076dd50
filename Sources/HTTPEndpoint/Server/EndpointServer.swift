import Dispatch
import DyadConfig
import Foundation
import HTTPTypes
import HummingbirdCore
import Logging
import NIOCore
import NIOPosix

/// The endpoint's HTTP/1.1 server: HummingbirdCore on SwiftNIO, on an event loop thread of its
/// own, with route handlers on their own Dispatch queue, so nothing it does can hold up the
/// scheduler, the pollers or the watchdog. NIO's parser answers every malformed request 400 and
/// enforces the head limits below; this file adds what a read-only endpoint refuses (bodies, long
/// or non-path targets). Every connection serves one request and is closed.
final class EndpointServer: Sendable {
    typealias Handler = @Sendable (RouteRequest) -> RouteReply

    /// Connections served at once; more wait in the listen backlog.
    static let maxConnections = 16
    /// A connection that sends no complete request part for this long is closed.
    static let idleTimeout: TimeAmount = .seconds(5)
    /// Request line plus headers, and the header count (NIO's decoder limits: 400 beyond them).
    static let maxHeadBytes = 16 * 1024
    static let maxHeaders = 64
    /// Longer request targets are answered 414.
    static let maxTargetBytes = 2_048
    /// How long stopping waits for answers in flight before closing their connections.
    static let stopGrace: Duration = .seconds(2)

    let address: HTTPConfig.ListenAddress
    private let server: Server<HTTP1Channel>
    private let group: MultiThreadedEventLoopGroup
    private let running: Task<Void, Never>

    private init(address: HTTPConfig.ListenAddress, server: Server<HTTP1Channel>, group: MultiThreadedEventLoopGroup, running: Task<Void, Never>) {
        self.address = address; self.server = server; self.group = group; self.running = running
    }

    /// Binds and starts serving; throws `StartFailure` when the address cannot be used.
    static func start(address: HTTPConfig.ListenAddress, handler: @escaping Handler, logger: Logger) async throws -> EndpointServer {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let handlers = DispatchQueue(label: "dyadwatch.http.handlers", attributes: .concurrent)
        var decoder = HTTP1Channel.Configuration.DecoderConfiguration()
        decoder.maxHeaderFieldSize = maxHeadBytes
        decoder.maxHeaderListSize = maxHeadBytes
        decoder.maxHeaderFieldCount = maxHeaders
        let channel = HTTP1Channel(
            responder: { request, writer, _ in
                let reply = await Self.reply(to: request, handler: handler, on: handlers)
                let body = request.method == .head ? ResponseBody() : ResponseBody(byteBuffer: ByteBuffer(bytes: reply.body))
                try await writer.write(response: reply.head, body: body)
            },
            configuration: .init(additionalChannelHandlers: [OneRequestPerConnection()], idleTimeout: idleTimeout,
                                 httpDecoderConfiguration: decoder))
        let (ready, readyContinuation) = AsyncStream<Result<Int, any Error>>.makeStream()
        let server = Server(
            childChannelSetup: channel,
            configuration: ServerConfiguration(address: .hostname(address.host, port: Int(address.port)), backlog: 64,
                                               availableConnectionsDelegate: MaximumAvailableConnections(maxConnections)),
            onServerRunning: { readyContinuation.yield(.success($0.localAddress?.port ?? 0)) },
            eventLoopGroup: group, logger: logger)
        let running = Task {
            do { try await server.run() } catch { readyContinuation.yield(.failure(error)) }
            readyContinuation.finish()
        }
        var bound = address
        switch await ready.first(where: { _ in true }) {
        case .success(let port)?:
            bound.port = UInt16(clamping: port)
            return EndpointServer(address: bound, server: server, group: group, running: running)
        case .failure(let error)?:
            try? await group.shutdownGracefully()
            throw StartFailure(address: address, reason: "\(error)")
        case nil:
            try? await group.shutdownGracefully()
            throw StartFailure(address: address, reason: "the server stopped while starting")
        }
    }

    /// Stops accepting, lets answers in flight finish (at most `stopGrace`), closes every connection.
    func stop() async {
        let server = self.server, running = self.running
        Task { try? await server.shutdownGracefully() }
        let deadline = Task { try? await Task.sleep(for: Self.stopGrace); running.cancel() }
        await running.value
        deadline.cancel()
        try? await group.shutdownGracefully()
    }

    /// A request the routes never see gets its refusal here; the rest go to the handler, off
    /// NIO's threads and Swift's cooperative pool (the routes read the state synchronously).
    static func reply(to request: Request, handler: @escaping Handler, on queue: DispatchQueue) async -> RouteReply {
        if let refusal = refusal(request) { return refusal }
        let route = RouteRequest(method: request.method.rawValue, target: request.head.path ?? "/")
        return await withCheckedContinuation { done in queue.async { done.resume(returning: handler(route)) } }
    }

    static func refusal(_ request: Request) -> RouteReply? {
        let target = request.head.path ?? ""
        if target.utf8.count > maxTargetBytes { return .text(.uriTooLong, "request target longer than \(maxTargetBytes) bytes") }
        // HTTPTypes turns an absolute-form target into its path; what is left is `*` or garbage.
        guard target.hasPrefix("/") else { return .text(.badRequest, "malformed request: the target must be a path") }
        let length = request.headers[.contentLength]
        if request.headers[.transferEncoding] != nil || (length != nil && length != "0") {
            return .text(.contentTooLarge, "request bodies are not accepted here")
        }
        return nil
    }
}

/// The endpoint could not start listening (address in use, not available, no permission).
public struct StartFailure: Error, CustomStringConvertible {
    public static let errorClass = "http_listen_failed"
    public var address: HTTPConfig.ListenAddress
    public var reason: String
    public var description: String { "\(Self.errorClass): cannot listen on \(address): \(reason)" }
}
