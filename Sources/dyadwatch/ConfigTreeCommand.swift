import ArgumentParser
import DyadConfig
import Foundation

/// `dyadwatch config-tree` (hidden): reads TOML on stdin and writes the parsed tree, or the syntax
/// error, as JSON on stdout. It is the child process `ChildProcessTOMLParser` starts, so that the
/// TOML library's faults (an assertion abort, its leaks) end with this short-lived process instead
/// of `check-config`, a starting daemon or a daemon reloading on SIGHUP.
struct ConfigTreeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: ChildProcessTOMLParser.subcommand,
        abstract: "Parse TOML from stdin into JSON (used internally to isolate the TOML parser).",
        shouldDisplay: false)

    func run() throws {
        let input = FileHandle.standardInput.readDataToEndOfFile()
        let outcome: ConfigParseOutcome
        if let text = String(data: input, encoding: .utf8) {
            outcome = InProcessTOMLParser().parse(text)
        } else {
            outcome = .syntaxError(ConfigSyntaxError(line: nil, message: "not UTF-8 text"))
        }
        FileHandle.standardOutput.write(try outcome.encoded())
    }
}
