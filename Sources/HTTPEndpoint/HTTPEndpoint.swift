// The daemon's optional HTTP endpoint (`[http] listen`): Prometheus metrics, a health check, the
// trend page and the alerts/trends as JSON.
import Daemon
import DyadConfig
import Foundation
import Logging

/// Starts and stops the endpoint. Runs on its own threads and reads the state database through
/// read-only connections: it never waits on the scheduler, the pollers or the watchdog.
public final class HTTPEndpoint: @unchecked Sendable {
    private let listener: HTTPListener
    public var address: HTTPConfig.ListenAddress { listener.address }

    /// The scheduler counts as stuck when its heartbeat is older than this many idle turns.
    public static let heartbeatTurns = 3.0

    /// Bootstraps the metrics system (call before polling starts; once per process) and listens.
    public init(address: HTTPConfig.ListenAddress, configuration: DyadConfig.Configuration, heartbeat: Heartbeat,
                idleTurnInterval: TimeInterval, now: @escaping @Sendable () -> Date = { Date() },
                logger: Logger = Logger(label: "dyadwatch.http")) throws {
        let state = StateReader(configuration: configuration, heartbeat: heartbeat,
                                heartbeatLimit: idleTurnInterval * Self.heartbeatTurns)
        let metrics = MetricsRoute(state: state)
        metrics.bootstrap()
        let router = Router(state: state, metrics: metrics, now: now)
        listener = try HTTPListener(address: address, handler: { router.respond($0) },
                                    onError: { message in logger.error("\(message)") })
        logger.notice("http endpoint listening", metadata: ["listen": "\(address)"])
    }

    public func stop() { listener.stop() }
}
