import ArgumentParser
import Daemon
import DyadConfig
import Foundation
import HTTPEndpoint
import Logging

/// `dyadwatch run`: the long-running daemon (foreground; systemd runs it as Type=notify).
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the daemon: poll feeds, analyze, detect shifts, write alerts.",
        discussion: """
            Runs in the foreground and logs one key=value line per event to stderr. SIGTERM or SIGINT \
            stops it (exit 0); SIGHUP re-reads the configuration (kept when invalid) and reopens log files. \
            Under systemd it speaks the notify protocol (READY, STATUS, RELOADING, STOPPING, WATCHDOG).
            """)

    @OptionGroup var options: ConfigOptions

    @Option(name: .long, help: "Also append the operational log to this file (reopened on SIGHUP, for logrotate).")
    var logFile: String?

    /// Exit status when the state cannot be opened: systemd's Restart=on-failure retries.
    static let startFailureExitCode: Int32 = 1

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let configuration = try options.load()
        let level = LogLevelBox(DaemonLogging.level(configuration.daemon.logLevel) ?? .info)
        let output = LogOutput(stderr: true, filePath: logFile)
        DaemonLogging.bootstrap(output: output, level: level, environment: environment)
        let logger = Logger(label: "dyadwatch")

        let clock = DaemonRuntime.clock(environment: environment)
        let notifier = SystemdNotifier(environment: environment)
        var serviceOptions = DaemonService.Options()
        serviceOptions.faults = FaultInjection(environment: environment)
        if let every = DaemonRuntime.maintenanceInterval(environment: environment) { serviceOptions.maintenanceInterval = every }

        let status: Int32
        var endpoint: HTTPEndpoint?
        do {
            let backend = try PipelineBackend(configuration: configuration, clock: clock, faults: serviceOptions.faults)
            let service = DaemonService(configPath: options.resolvedPath, loader: FeedsConfLoader(childProcess: ConfigOptions.loader), backend: backend,
                                        notifier: notifier, clock: clock, logOutput: output, logLevel: level,
                                        options: serviceOptions)
            if let address = configuration.section(HTTPConfig.self).listen {
                endpoint = try await HTTPEndpoint.start(address: address, configuration: configuration, heartbeat: service.heartbeat,
                                                        idleTurnInterval: serviceOptions.idleTurnInterval, now: { clock.now() })
            }
            status = try await withCheckedThrowingContinuation { continuation in
                do {
                    try service.start(DaemonConfiguration(configuration)) { continuation.resume(returning: $0) }
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        } catch {
            await endpoint?.stop()
            logger.critical("cannot start", metadata: ["config": "\(options.resolvedPath)", "error": "\(error)"])
            throw ExitCode(Self.startFailureExitCode)
        }
        await endpoint?.stop()
        if status != 0 { throw ExitCode(status) }
    }
}
