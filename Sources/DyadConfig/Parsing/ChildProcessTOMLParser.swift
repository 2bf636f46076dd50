import Foundation

/// Parses feeds.conf in a child process (`dyadwatch config-tree`: TOML text on stdin, the
/// `ConfigParseOutcome` as JSON on stdout) and decodes the tree it hands back. Whatever the
/// TOML library does with hostile text — abort on an assertion, loop, leak — happens in the child:
/// the caller gets a syntax error with a line number and keeps running, and its memory never
/// holds the library's tree. Costs one process start (a few tens of milliseconds) per load.
public struct ChildProcessTOMLParser: ConfigTextParser {
    /// The program to run: the running dyadwatch binary itself by default.
    public var executable: URL
    public var arguments: [String]
    /// Longest wait for the child; it is killed after that.
    public var timeout: TimeInterval

    /// The hidden subcommand the child runs.
    public static let subcommand = "config-tree"

    public init(executable: URL = URL(fileURLWithPath: "/proc/self/exe"), arguments: [String] = [ChildProcessTOMLParser.subcommand],
                timeout: TimeInterval = 20) {
        self.executable = executable; self.arguments = arguments; self.timeout = timeout
    }

    public func parse(_ text: String) -> ConfigParseOutcome {
        switch run(text) {
        case .finished(let outcome): return outcome
        case .failed(let message): return .syntaxError(ConfigSyntaxError(line: nil, message: message))
        case .crashed(let signal):
            let line = lineThatCrashes(text)
            return .syntaxError(ConfigSyntaxError(
                line: line, message: "the TOML parser crashed (signal \(signal)) on this file\(line.map { " at or before line \($0)" } ?? ""); check the syntax there"))
        }
    }

    enum ChildResult { case finished(ConfigParseOutcome), crashed(Int32), failed(String) }

    func run(_ text: String) -> ChildResult {
        signal(SIGPIPE, SIG_IGN)  // a child that dies before reading all of stdin must not kill us
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["SWIFT_BACKTRACE"] = "enable=no"  // a crash must not spend seconds symbolicating
        environment.removeValue(forKey: "NOTIFY_SOCKET")
        process.environment = environment
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        let done = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in done.signal() }
        do { try process.run() } catch {
            return .failed("cannot start the configuration parser \(executable.path): \(error)")
        }
        let writer = input.fileHandleForWriting
        let payload = Data(text.utf8)
        DispatchQueue.global().async {
            try? writer.write(contentsOf: payload)  // EPIPE when the child died early
            try? writer.close()
        }
        let started = Date()
        let killer = DispatchWorkItem { kill(process.processIdentifier, SIGKILL) }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: killer)
        let data = output.fileHandleForReading.readDataToEndOfFile()
        try? output.fileHandleForReading.close()
        done.wait()
        killer.cancel()
        let timedOut = process.terminationStatus == SIGKILL && Date().timeIntervalSince(started) >= timeout
        if process.terminationReason == .uncaughtSignal {
            if timedOut { return .failed("the configuration parser did not finish within \(Int(timeout)) s") }
            return .crashed(process.terminationStatus)
        }
        guard process.terminationStatus == 0 else {
            return .failed("the configuration parser exited with status \(process.terminationStatus)")
        }
        do { return .finished(try ConfigParseOutcome.decode(data)) } catch {
            return .failed("the configuration parser's answer is unreadable: \(error)")
        }
    }

    /// The first line whose prefix of the text already crashes the parser (binary search over
    /// line counts, a dozen child runs at most), so the user learns where to look.
    func lineThatCrashes(_ text: String) -> Int? {
        let lines = SourceMap.lines(of: text)
        var low = 1, high = lines.count, found: Int? = nil
        var probes = 0
        while low <= high, probes < 16 {
            probes += 1
            let middle = (low + high) / 2
            if case .crashed = run(lines[..<middle].joined(separator: "\n")) {
                found = middle; high = middle - 1
            } else {
                low = middle + 1
            }
        }
        return found
    }
}
