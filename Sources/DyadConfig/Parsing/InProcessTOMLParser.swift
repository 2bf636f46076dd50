import Foundation
import TOMLKit

/// Parses TOML with TOMLKit in this process and copies the result into a `ConfigTable`. The only
/// file that touches TOMLKit. Mind its two known faults (issue 12): with assertions compiled in
/// (a build without `-Xcxx -DNDEBUG`) some malformed inputs abort the process —
/// `TOMLSyntaxPrecheck` runs first to keep the known ones away — and every parse leaks about
/// 100 KB (`tableGetKeys`, the string getter's `strdup`). The command line and the daemon therefore
/// load configurations through `ChildProcessConfigurationLoader`, which runs this in a throw-away process.
public struct InProcessTOMLParser: ConfigTextParser {
    public init() {}

    public func parse(_ text: String) -> ConfigParseOutcome {
        if let error = TOMLSyntaxPrecheck.firstError(in: text) { return .syntaxError(error) }
        do {
            let table = try TOMLTable(string: text)
            return .tree(Self.convert(table))
        } catch let error as TOMLParseError {
            return .syntaxError(ConfigSyntaxError(line: error.source.begin.line, column: error.source.begin.column,
                                                  message: error.description))
        } catch {
            return .syntaxError(ConfigSyntaxError(line: nil, message: "\(error)"))
        }
    }

    static func convert(_ table: TOMLTable) -> ConfigTable {
        var out: ConfigTable = [:]
        for (key, value) in table { out[key] = convert(value) }
        return out
    }

    static func convert(_ value: TOMLValueConvertible) -> ConfigValue {
        switch value.type {
        case .table: return .table(value.table.map(convert) ?? [:])
        case .array: return .array(value.array.map { $0.map(convert) } ?? [])
        case .string: return .string(value.string ?? "")
        case .int: return .integer(value.int ?? 0)
        case .double: return .float(value.double ?? 0)
        case .bool: return .boolean(value.bool ?? false)
        case .date: return .date(value.date?.debugDescription ?? "")
        case .time: return .time(value.time?.debugDescription ?? "")
        case .dateTime: return .dateTime(value.dateTime?.debugDescription ?? "")
        }
    }
}
