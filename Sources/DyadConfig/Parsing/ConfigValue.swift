import Foundation

/// A table of a parsed feeds.conf: key → value.
public typealias ConfigTable = [String: ConfigValue]

/// One parsed TOML value as plain Swift data, the only form the section decoders read: the TOML
/// library's tree is copied into it and freed at once, and nothing but `InProcessTOMLParser`
/// depends on that library. Dates and times are kept as their TOML text: no key uses them.
public indirect enum ConfigValue: Sendable, Equatable {
    case string(String)
    case integer(Int)
    case float(Double)
    case boolean(Bool)
    case date(String)
    case time(String)
    case dateTime(String)
    case array([ConfigValue])
    case table(ConfigTable)

    public var string: String? { if case .string(let s) = self { return s }; return nil }
    public var int: Int? { if case .integer(let i) = self { return i }; return nil }
    /// A float only; readers that accept integers too convert `int` themselves.
    public var double: Double? { if case .float(let d) = self { return d }; return nil }
    public var bool: Bool? { if case .boolean(let b) = self { return b }; return nil }
    public var array: [ConfigValue]? { if case .array(let a) = self { return a }; return nil }
    public var table: ConfigTable? { if case .table(let t) = self { return t }; return nil }

    /// The TOML type's name, for "expected …, found …" messages.
    public var type: String {
        switch self {
        case .string: "string"
        case .integer: "integer"
        case .float: "floating-point number"
        case .boolean: "bool"
        case .date: "date"
        case .time: "time"
        case .dateTime: "date-time"
        case .array: "array"
        case .table: "table"
        }
    }
}

/// What parsing feeds.conf text gives: the root table, or the first syntax error with its place.
public enum ConfigParseOutcome: Sendable, Equatable {
    case tree(ConfigTable)
    case syntaxError(ConfigSyntaxError)
}

/// A TOML syntax error (or a parser failure) at a place in the text.
public struct ConfigSyntaxError: Error, Sendable, Equatable {
    public var line: Int?
    public var column: Int?
    public var message: String
    public init(line: Int?, column: Int? = nil, message: String) { self.line = line; self.column = column; self.message = message }
}

/// Turns feeds.conf text into a `ConfigTable` (`InProcessTOMLParser`; tests may stub it).
public protocol ConfigTextParser: Sendable {
    func parse(_ text: String) -> ConfigParseOutcome
}
