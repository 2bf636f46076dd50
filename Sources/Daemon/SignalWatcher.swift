import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Turns SIGTERM/SIGINT/SIGHUP into events on a Dispatch queue (DispatchSource signal sources);
/// the default disposition is ignored first so the signal is only seen by the source.
final class SignalWatcher: @unchecked Sendable {
    enum Event: Sendable { case stop(name: String), reload }
    private var sources: [DispatchSourceSignal] = []

    init(queue: DispatchQueue, handler: @escaping @Sendable (Event) -> Void) {
        let wanted: [(Int32, Event)] = [(SIGTERM, .stop(name: "SIGTERM")), (SIGINT, .stop(name: "SIGINT")), (SIGHUP, .reload)]
        for (number, event) in wanted {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { handler(event) }
            source.resume()
            sources.append(source)
        }
        // A closed stdout (journald restarted, a pipe reader gone) must not kill the daemon.
        signal(SIGPIPE, SIG_IGN)
    }

    func cancel() { sources.forEach { $0.cancel() } }
}
