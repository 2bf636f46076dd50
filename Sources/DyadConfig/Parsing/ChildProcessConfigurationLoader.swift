import Foundation

/// Loads and validates feeds.conf in a child process (`dyadwatch load-config`: the text on stdin,
/// the `ConfigurationCheck` as JSON on stdout) and decodes the result. Whatever the TOML library
/// does with hostile text — abort on an assertion, loop, leak (TOMLKit keeps ~100 KB per parse) —
/// and the small leaks of Foundation's string, regex and URL bridging on Linux (a few KB per
/// validation) stay in that short-lived process: the caller gets diagnostics with line numbers, a
/// plain `Configuration` value, and memory that does not grow with reloads. One process start
/// (tens of milliseconds) per load.
public struct ChildProcessConfigurationLoader: Sendable {
    /// The program to run: the running dyadwatch binary itself by default.
    public var executable: String
    public var arguments: [String]
    /// Longest wait for the child; it is killed after that.
    public var timeout: TimeInterval

    /// The hidden subcommand the child runs.
    public static let subcommand = "load-config"

    public init(executable: String = "/proc/self/exe", arguments: [String] = [ChildProcessConfigurationLoader.subcommand],
                timeout: TimeInterval = 20) {
        self.executable = executable; self.arguments = arguments; self.timeout = timeout
    }

    /// The valid configuration at `path`, or `ConfigurationError` listing every problem.
    public func load(path: String) throws -> Configuration {
        let result = check(path: path)
        guard let configuration = result.configuration else { throw ConfigurationError(diagnostics: result.diagnostics) }
        return configuration
    }

    /// Reads the file here (so a missing or oversized file is reported without a child) and validates it in the child.
    public func check(path: String) -> ConfigurationCheck {
        switch ConfigurationLoader.readText(path: path) {
        case .unreadable(let check): return check
        case .text(let text, let base): return check(text: text, file: path, baseDirectory: base)
        }
    }

    public func check(text: String, file: String, baseDirectory: URL) -> ConfigurationCheck {
        func failed(_ line: Int?, _ message: String) -> ConfigurationCheck {
            ConfigurationCheck(configuration: nil, diagnostics: [ConfigDiagnostic(file: file, line: line, key: "", message: message)])
        }
        switch run(text, file: file, baseDirectory: baseDirectory) {
        case .finished(let check): return check
        case .failed(let message): return failed(nil, message)
        case .crashed(let signal):
            let line = lineThatCrashes(text, file: file, baseDirectory: baseDirectory)
            return failed(line, "TOML syntax error: the configuration parser crashed (signal \(signal)) on this file"
                          + (line.map { " at or before line \($0)" } ?? "") + "; check the syntax there")
        }
    }

    enum ChildResult { case finished(ConfigurationCheck), crashed(Int32), failed(String) }

    func run(_ text: String, file: String, baseDirectory: URL) -> ChildResult {
        let child = ChildProcess(executable: executable, arguments: arguments + ["--file", file, "--base", baseDirectory.path],
                                 environment: ["SWIFT_BACKTRACE": "enable=no"],  // no seconds spent symbolicating a crash
                                 timeout: timeout)
        guard let (termination, output) = child.run(input: Array(text.utf8)) else {
            return .failed("cannot start the configuration loader \(executable)")
        }
        switch termination {
        case .timedOut: return .failed("the configuration loader did not finish within \(Int(timeout)) s")
        case .signaled(let signal): return .crashed(signal)
        case .exited(let status) where status != 0: return .failed("the configuration loader exited with status \(status)")
        case .exited:
            do { return .finished(try ConfigurationCheck.decode(output)) } catch {
                return .failed("the configuration loader's answer is unreadable: \(error)")
            }
        }
    }

    /// The first line whose prefix of the text already crashes the child (binary search over line
    /// counts, at most 16 runs), so the user learns where to look.
    func lineThatCrashes(_ text: String, file: String, baseDirectory: URL) -> Int? {
        let lines = SourceMap.lines(of: text)
        var low = 1, high = lines.count, found: Int? = nil, probes = 0
        while low <= high, probes < 16 {
            probes += 1
            let middle = (low + high) / 2
            if case .crashed = run(lines[..<middle].joined(separator: "\n"), file: file, baseDirectory: baseDirectory) {
                found = middle; high = middle - 1
            } else {
                low = middle + 1
            }
        }
        return found
    }
}
