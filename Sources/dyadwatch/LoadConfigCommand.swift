import ArgumentParser
import DyadConfig
import Foundation

/// `dyadwatch load-config` (hidden): reads feeds.conf text on stdin, validates it, and writes the
/// `ConfigurationCheck` (every diagnostic, and the configuration when valid) as JSON on stdout.
/// It is the child process `ChildProcessConfigurationLoader` starts, so that the TOML library's
/// faults (an assertion abort, its leaks) end with this short-lived process instead of
/// `check-config`, a starting daemon or a daemon reloading on SIGHUP.
struct LoadConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: ChildProcessConfigurationLoader.subcommand,
        abstract: "Validate feeds.conf text from stdin into JSON (used internally to isolate the TOML parser).",
        shouldDisplay: false)

    @Option(help: "The file name to use in diagnostics.")
    var file: String = "feeds.conf"

    @Option(help: "The directory relative paths resolve against.")
    var base: String = FileManager.default.currentDirectoryPath

    func run() throws {
        let input = FileHandle.standardInput.readDataToEndOfFile()
        let check: ConfigurationCheck
        if let text = String(data: input, encoding: .utf8) {
            check = ConfigurationLoader.check(text: text, file: file, baseDirectory: URL(fileURLWithPath: base, isDirectory: true))
        } else {
            check = ConfigurationCheck(configuration: nil, diagnostics: [ConfigDiagnostic(file: file, line: nil, key: "", message: "not UTF-8 text")])
        }
        FileHandle.standardOutput.write(try check.encoded())
    }
}
