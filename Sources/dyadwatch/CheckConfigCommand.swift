import ArgumentParser
import DyadConfig

/// `dyadwatch check-config`: validate feeds.conf and print every problem with file, line and key.
struct CheckConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config",
        abstract: "Validate feeds.conf and print every problem with file, line and key.",
        discussion: "Exit status 0 when valid (one summary line), 2 when the file has any error.")

    @OptionGroup var options: ConfigOptions

    func run() async throws {
        let check = options.check()
        for diagnostic in check.diagnostics { print(diagnostic.description) }
        guard let configuration = check.configuration else {
            print("\(options.resolvedPath): \(check.errors.count) error(s), \(check.warnings.count) warning(s)")
            throw ExitCode(ConfigOptions.invalidConfigExitCode)
        }
        print(configuration.summary + (check.warnings.isEmpty ? "" : "; \(check.warnings.count) warning(s)"))
    }
}
