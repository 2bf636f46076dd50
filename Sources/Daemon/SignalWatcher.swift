import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Turns SIGTERM/SIGINT/SIGHUP into events on a Dispatch queue (DispatchSource signal sources);
/// the default disposition is ignored first so the signal is only seen by the source.
final class SignalWatcher: Sendable {
    enum Event: Sendable { case stop(name: String), reload }
    private let sources: Mutex<[any DispatchSourceSignal]>

    init(queue: DispatchQueue, handler: @escaping @Sendable (Event) -> Void) {
        var sources: [any DispatchSourceSignal] = []
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
        self.sources = Mutex(sources)
    }

    func cancel() { sources.withLock { $0.forEach { $0.cancel() } } }
}
