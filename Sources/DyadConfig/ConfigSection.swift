import Foundation

/// One top-level `[table]` of feeds.conf that decodes and validates itself. To add a table, write
/// one file with a type conforming to this protocol and list it in `ConfigSectionRegistry.sections`;
/// read it back with `configuration.section(MyTable.self)`. Sections are `Codable` (synthesized:
/// keep their fields plain values) because the daemon and the command line validate feeds.conf in
/// a child process that hands the result back as JSON (`ChildProcessConfigurationLoader`).
public protocol ConfigSection: Sendable, Codable {
    /// The table's name in the file (`daemon`, `analysis`, `detectors`, …).
    static var tableName: String { get }
    /// Decodes from the table (an empty table when the file has none, so defaults apply). Reads
    /// every key it knows through `reader` — unread keys are reported as unknown — and reports
    /// bad values there instead of throwing, falling back to defaults so the pass continues.
    init(from reader: TableReader)
    /// Checks that involve other tables, run after every table was decoded.
    func validate(in configuration: Configuration, context: ConfigContext)
}

public extension ConfigSection {
    func validate(in configuration: Configuration, context: ConfigContext) {}
}

/// The tables feeds.conf knows besides `[[feed]]`. One line per table.
public enum ConfigSectionRegistry {
    public static let sections: [any ConfigSection.Type] = [
        DaemonConfig.self,
        AnalysisConfig.self,
        DetectorsConfig.self,
        AlertsConfig.self,
        FulltextConfig.self,
        HTTPConfig.self,
        StorageConfig.self,
    ]
}
