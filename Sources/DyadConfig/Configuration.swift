import Foundation

/// A validated feeds.conf: `[daemon]`, `[analysis]`, the `[[feed]]` list and any other registered
/// table (read with `section(_:)`).
public struct Configuration: Sendable, Codable {
    /// The file it was loaded from.
    public var file: URL
    public var feeds: [FeedConfig]
    private var sections: [ObjectIdentifier: any ConfigSection]

    init(file: URL, feeds: [FeedConfig], sections: [ObjectIdentifier: any ConfigSection]) {
        self.file = file; self.feeds = feeds; self.sections = sections
    }

    /// The decoded table of type `S` (its defaults when the file has no such table).
    public func section<S: ConfigSection>(_ type: S.Type) -> S {
        if let s = sections[ObjectIdentifier(type)] as? S { return s }
        preconditionFailure("\(S.self) is not listed in ConfigSectionRegistry.sections")
    }

    // Codable so a child process can hand a validated configuration over (`ChildProcessConfigurationLoader`):
    // each section under its table name.
    private struct TableKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: TableKey.self)
        file = try container.decode(URL.self, forKey: TableKey(stringValue: "file"))
        feeds = try container.decode([FeedConfig].self, forKey: TableKey(stringValue: "feed"))
        sections = [:]
        for type in ConfigSectionRegistry.sections {
            sections[ObjectIdentifier(type)] = try type.init(from: container.superDecoder(forKey: TableKey(stringValue: type.tableName)))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: TableKey.self)
        try container.encode(file, forKey: TableKey(stringValue: "file"))
        try container.encode(feeds, forKey: TableKey(stringValue: "feed"))
        for type in ConfigSectionRegistry.sections {
            try section(type).encode(to: container.superEncoder(forKey: TableKey(stringValue: type.tableName)))
        }
    }

    private func section(_ type: any ConfigSection.Type) -> any ConfigSection {
        guard let s = sections[ObjectIdentifier(type)] else { preconditionFailure("\(type) is not listed in ConfigSectionRegistry.sections") }
        return s
    }

    public var daemon: DaemonConfig { section(DaemonConfig.self) }
    public var analysis: AnalysisConfig { section(AnalysisConfig.self) }
    public var enabledFeeds: [FeedConfig] { feeds.filter(\.enabled) }

    /// One line for `check-config`: what was found.
    public var summary: String {
        let enabled = enabledFeeds
        let groups = Set(enabled.map(\.group)).count
        let languages = Set(enabled.compactMap(\.language)).sorted().joined(separator: ", ")
        return "\(file.lastPathComponent): OK — \(feeds.count) feeds (\(enabled.count) enabled, \(feeds.count - enabled.count) disabled) in \(groups) groups; languages: \(languages.isEmpty ? "none" : languages); default interval \(DurationSyntax.format(daemon.interval))"
    }
}

/// The result of validating a file: the configuration when it has no errors, and everything found.
public struct ConfigurationCheck: Sendable, Codable {
    public var configuration: Configuration?
    public var diagnostics: [ConfigDiagnostic]

    public init(configuration: Configuration?, diagnostics: [ConfigDiagnostic]) {
        self.configuration = configuration; self.diagnostics = diagnostics
    }

    /// The JSON a child process writes (`dyadwatch load-config`); non-finite numbers as strings.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try encoder.encode(self)
    }

    public static func decode(_ bytes: [UInt8]) throws -> ConfigurationCheck {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try decoder.decode(ConfigurationCheck.self, from: Data(bytes))
    }
    public var errors: [ConfigDiagnostic] { diagnostics.filter { $0.severity == .error } }
    public var warnings: [ConfigDiagnostic] { diagnostics.filter { $0.severity == .warning } }
}

/// Loads and validates feeds.conf in one pass, reporting every problem. Every command calls
/// `load(path:)` (or `check`) before doing anything else.
public enum ConfigurationLoader {
    /// Environment variable naming the configuration file when `--config` is not given.
    public static let environmentVariable = "DYADWATCH_CONFIG"
    /// Where a system install keeps it.
    public static let systemPath = "/etc/dyadwatch/feeds.conf"

    /// `--config` if given, else `$DYADWATCH_CONFIG`, else `./feeds.conf` when present, else `/etc/dyadwatch/feeds.conf`.
    public static func defaultPath(explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let explicit { return explicit }
        if let env = environment[environmentVariable], !env.isEmpty { return env }
        if FileManager.default.fileExists(atPath: "feeds.conf") { return "feeds.conf" }
        return systemPath
    }

    /// Largest feeds.conf accepted (a thousand feeds take about 150 KB).
    public static let maximumFileSize = 4 << 20

    /// The valid configuration at `path`, or `ConfigurationError` listing every problem.
    public static func load(path: String, parser: any ConfigTextParser = InProcessTOMLParser()) throws -> Configuration {
        let result = check(path: path, parser: parser)
        guard let configuration = result.configuration else { throw ConfigurationError(diagnostics: result.diagnostics) }
        return configuration
    }

    /// Reads and validates the file at `path`.
    public static func check(path: String, parser: any ConfigTextParser = InProcessTOMLParser()) -> ConfigurationCheck {
        switch readText(path: path) {
        case .unreadable(let check): return check
        case .text(let text, let base): return check(text: text, file: path, baseDirectory: base, parser: parser)
        }
    }

    /// The text of the file at `path` and the directory relative paths in it resolve against, or
    /// the diagnostic why it cannot be used (missing, unreadable, too large, not UTF-8).
    enum FileText { case text(String, baseDirectory: URL), unreadable(ConfigurationCheck) }

    static func readText(path: String) -> FileText {
        func unreadable(_ message: String) -> FileText {
            .unreadable(ConfigurationCheck(configuration: nil, diagnostics: [ConfigDiagnostic(file: path, line: nil, key: "", message: message)]))
        }
        let url = URL(fileURLWithPath: path).standardizedFileURL
        guard let data = FileManager.default.contents(atPath: url.path) else { return unreadable("cannot read the file (missing or not readable)") }
        guard data.count <= maximumFileSize else { return unreadable("file too large (\(data.count) bytes; at most \(maximumFileSize))") }
        guard let text = String(data: data, encoding: .utf8) else { return unreadable("not UTF-8 text") }
        return .text(text, baseDirectory: url.deletingLastPathComponent())
    }

    /// Validates TOML `text`; `file` names it in diagnostics, relative paths resolve under `baseDirectory`.
    /// `parser` turns the text into a tree. In this process: the command line and the daemon run this
    /// in a child process (`ChildProcessConfigurationLoader`).
    public static func check(text: String, file: String, baseDirectory: URL,
                             parser: any ConfigTextParser = InProcessTOMLParser()) -> ConfigurationCheck {
        let table: ConfigTable
        switch parser.parse(text) {
        case .tree(let tree): table = tree
        case .syntaxError(let error):
            return ConfigurationCheck(configuration: nil, diagnostics: [
                ConfigDiagnostic(file: file, line: error.line, key: "",
                                 message: "TOML syntax error: \(error.message)\(error.column.map { " (column \($0))" } ?? "")"),
            ])
        }
        let context = ConfigContext(file: file, baseDirectory: baseDirectory, sourceMap: SourceMap(text: text))
        var sections: [ObjectIdentifier: any ConfigSection] = [:]
        var knownNames: Set<String> = ["feed"]
        for type in ConfigSectionRegistry.sections {
            knownNames.insert(type.tableName)
            sections[ObjectIdentifier(type)] = decodeSection(type, from: table, context: context)
        }
        for key in table.keys.sorted() where !knownNames.contains(key) {
            var message = table[key]?.table != nil ? "unknown table" : "unknown key"
            if let suggestion = TableReader.closest(to: key, in: knownNames.sorted()) { message += " (did you mean \"\(suggestion)\"?)" }
            context.report(key, message)
        }
        let feeds = FeedListDecoder.decode(table["feed"], context: context)
        if feeds.isEmpty, table["feed"] == nil {
            context.report("feed", "no [[feed]] tables: nothing to poll", severity: .warning)
        }
        let configuration = Configuration(file: URL(fileURLWithPath: file).standardizedFileURL, feeds: feeds, sections: sections)
        for section in sections.values { section.validate(in: configuration, context: context) }
        let diagnostics = context.diagnostics.sorted { ($0.line ?? 0, $0.key) < ($1.line ?? 0, $1.key) }
        return ConfigurationCheck(configuration: context.hasErrors ? nil : configuration, diagnostics: diagnostics)
    }

    private static func decodeSection(_ type: any ConfigSection.Type, from root: ConfigTable, context: ConfigContext) -> any ConfigSection {
        let name = type.tableName
        var table: ConfigTable = [:]
        if let value = root[name] {
            if let t = value.table { table = t } else { context.report(name, "expected a table [\(name)], found \(value.type)") }
        }
        let reader = TableReader(table: table, path: name, context: context)
        let section = type.init(from: reader)
        reader.finish()
        return section
    }
}
