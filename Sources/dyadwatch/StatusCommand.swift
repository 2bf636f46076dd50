import ArgumentParser
import Daemon
import DyadConfig
import Foundation

/// `dyadwatch status`: feed health, today's counts and the last alerts, from the state database.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show feed health, today's counts and the last alerts.",
        discussion: "Reads the state database named by feeds.conf; the daemon may be running or not.")

    @OptionGroup var options: ConfigOptions

    func run() async throws {
        let configuration = try options.load()
        let reader = StatusReader(configuration: configuration, extras: StatusExtrasCatalog.all,
                                  openState: StateOpening.openForStatus)
        if try !reader.stateExists() {
            StandardError.print("no state yet (\(configuration.daemon.stateDir.path) or [storage] url): the daemon has not run with this configuration")
        }
        let report = try reader.read(now: Date())
        print(report.render(), terminator: "")
    }
}
