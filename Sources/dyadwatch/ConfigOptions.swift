import ArgumentParser
import DyadConfig
import Foundation

/// `--config PATH`, shared by every command, and the one way commands load feeds.conf: validate
/// everything first, print every problem, exit 2 on any error.
struct ConfigOptions: ParsableArguments {
    @Option(name: .long, help: "Configuration file (default: $DYADWATCH_CONFIG, ./feeds.conf, /etc/dyadwatch/feeds.conf).")
    var config: String?

    /// Exit status for an invalid configuration.
    static let invalidConfigExitCode: Int32 = 2

    var resolvedPath: String { ConfigurationLoader.defaultPath(explicit: config) }

    /// How every command loads feeds.conf: in a child process (this same binary), so no text can
    /// crash the command or leave the TOML library's memory behind (issue 12).
    static let loader = ChildProcessConfigurationLoader()

    /// Every problem in the file (`check-config`, `load`).
    func check() -> ConfigurationCheck { Self.loader.check(path: resolvedPath) }

    /// The validated configuration; on any error prints all diagnostics to stderr and exits 2.
    /// Warnings are printed to stderr and do not stop the command.
    func load() throws -> Configuration {
        let check = check()
        for diagnostic in check.diagnostics { StandardError.print(diagnostic.description) }
        guard let configuration = check.configuration else {
            StandardError.print("\(resolvedPath): \(check.errors.count) error(s); fix them and run `dyadwatch check-config`")
            throw ExitCode(Self.invalidConfigExitCode)
        }
        return configuration
    }
}

/// Writes lines to stderr (diagnostics, progress) so stdout stays for results.
enum StandardError {
    static func print(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
