import Foundation

/// One problem found in a configuration file, located by file, line and key so a user can fix it
/// without guessing. Errors make the configuration unusable; warnings are printed but accepted.
public struct ConfigDiagnostic: Sendable, Equatable, Codable, CustomStringConvertible {
    public enum Severity: String, Sendable, Codable { case error, warning }

    public var file: String
    /// 1-based line; nil when the key does not appear in the file (a missing required key whose
    /// table header could not be located either).
    public var line: Int?
    /// Key path such as `daemon.interval` or `feed[3].url` (`feed[3]` is the 4th `[[feed]]`, 0-based).
    public var key: String
    public var message: String
    public var severity: Severity

    public init(file: String, line: Int?, key: String, message: String, severity: Severity = .error) {
        self.file = file; self.line = line; self.key = key; self.message = message; self.severity = severity
    }

    /// `feeds.conf:12: error: daemon.interval: bad duration "5x"` — the compiler-style format
    /// editors and `grep` understand.
    public var description: String {
        let location = line.map { "\(file):\($0)" } ?? file
        let keyPart = key.isEmpty ? "" : "\(key): "
        return "\(location): \(severity.rawValue): \(keyPart)\(message)"
    }
}

/// Thrown by `ConfigurationLoader.load` when a configuration has at least one error; carries
/// every diagnostic found in the one pass (warnings included).
public struct ConfigurationError: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [ConfigDiagnostic]
    public init(diagnostics: [ConfigDiagnostic]) { self.diagnostics = diagnostics }
    public var errors: [ConfigDiagnostic] { diagnostics.filter { $0.severity == .error } }
    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}
