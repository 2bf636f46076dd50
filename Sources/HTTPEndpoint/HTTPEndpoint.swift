// The daemon's optional HTTP endpoint (`[http] listen`): Prometheus metrics, a health check, the
// trend page and the alerts/trends as JSON.
import Daemon
import DyadConfig
import Foundation
import Logging

/// Starts and stops the endpoint. Serves on its own event loop thread and reads the state
/// (SQLite or PostgreSQL) through read-only connections: it never waits on the scheduler, the pollers or the
/// watchdog.
public final class HTTPEndpoint: Sendable {
    private let server: EndpointServer
    private let state: StateReader
    public var address: HTTPConfig.ListenAddress { server.address }

    /// The scheduler counts as stuck when its heartbeat is older than this many idle turns.
    public static let heartbeatTurns = 3.0

    private init(server: EndpointServer, state: StateReader) { self.server = server; self.state = state }

    /// Bootstraps the metrics system (call before polling starts; once per process) and listens.
    /// Throws `StartFailure` (class `http_listen_failed`) when the address cannot be used.
    public static func start(address: HTTPConfig.ListenAddress, configuration: DyadConfig.Configuration, heartbeat: Heartbeat,
                             idleTurnInterval: TimeInterval, now: @escaping @Sendable () -> Date = { Date() },
                             logger: Logger = Logger(label: "dyadwatch.http")) async throws -> HTTPEndpoint {
        let state = StateReader(configuration: configuration, heartbeat: heartbeat,
                                heartbeatLimit: idleTurnInterval * Self.heartbeatTurns, logger: logger)
        let metrics = MetricsRoute(state: state)
        metrics.bootstrap()
        let router = Router(state: state, metrics: metrics, now: now)
        let server = try await EndpointServer.start(address: address, handler: { router.respond($0) }, logger: logger)
        logger.notice("http endpoint listening", metadata: ["listen": "\(server.address)"])
        return HTTPEndpoint(server: server, state: state)
    }

    /// Stops listening and closes the connections (answers in flight get a moment to finish).
    public func stop() async {
        await server.stop()
        state.close()
    }
}
