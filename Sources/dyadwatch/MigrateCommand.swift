import ArgumentParser
import Daemon
import DyadConfig
import FeedStorage
import Foundation
import PostgresStorage

/// `dyadwatch migrate --to-postgres URL`: copies the SQLite state of feeds.conf's `state_dir`
/// into an empty PostgreSQL database (then set `[storage] url` and restart the daemon).
struct MigrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Copy the SQLite state into an empty PostgreSQL database.",
        discussion: """
            Stop the daemon first. The SQLite file is only read. The password comes from --password-file, \
            else $PGPASSWORD, else the URL; it is never printed. Afterwards set [storage] url in feeds.conf.
            """)

    @OptionGroup var options: ConfigOptions

    @Option(name: .customLong("to-postgres"), help: "postgresql://user@host:5432/database")
    var url: String

    @Option(help: "A file holding the database password.")
    var passwordFile: String?

    @Option(help: "TLS to the server: disable, prefer or require.")
    var tls: String = StorageConfig.TLSMode.prefer.rawValue

    @Option(help: "CA certificate the server's must verify against (with --tls require).")
    var tlsCaFile: String?

    func run() throws {
        let configuration = try options.load()
        let target: StorageConfig.PostgresURL
        switch StorageConfig.PostgresURL.parse(url) {
        case .success(let u): target = u
        case .failure(let p): throw ValidationError("--to-postgres \(p.message)")
        }
        guard let mode = StorageConfig.TLSMode(rawValue: tls) else { throw ValidationError("--tls must be disable, prefer or require") }
        let path = configuration.daemon.stateDir.appendingPathComponent(FeedStore.fileName).path
        guard FileManager.default.fileExists(atPath: path) else {
            StandardError.print("dyadwatch: no SQLite state at \(path)")
            throw ExitCode.failure
        }
        guard let source = try StatusReader.sqliteState(configuration) else { throw ExitCode.failure }
        let storage = StorageConfig(url: target, passwordFile: passwordFile.map { URL(fileURLWithPath: $0) }, tls: mode,
                                    tlsCAFile: tlsCaFile.map { URL(fileURLWithPath: $0) })
        do {
            let state = try PostgresState(storage, cluster: nil)
            defer { state.client.close() }
            let counts = try StateImport.run(from: source.feeds, source.analysis, into: state)
            print("copied \(path) to \(target.redacted): \(counts)")
        } catch {
            StandardError.print("dyadwatch: migrate failed, nothing was committed: \(error)")
            throw ExitCode.failure
        }
    }
}
