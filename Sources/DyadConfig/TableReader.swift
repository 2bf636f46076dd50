import Foundation

/// Reads one TOML table key by key, converting types and collecting diagnostics instead of
/// stopping at the first problem. `finish()` reports every key that no reader asked for.
/// A class so section decoders can pass it around while it accumulates state.
public final class TableReader {
    public let table: ConfigTable
    /// Key path of this table (`daemon`, `feed[3]`).
    public let path: String
    public let context: ConfigContext
    private var consumed: Set<String> = []

    public init(table: ConfigTable, path: String, context: ConfigContext) {
        self.table = table; self.path = path; self.context = context
    }

    /// Full key path of `key` in this table.
    public func keyPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// Whether `key` is present (and marks it as known).
    public func has(_ key: String) -> Bool {
        consumed.insert(key)
        return table[key] != nil
    }

    /// Records an error at `key` (or the table itself when `key` is nil).
    public func error(_ key: String?, _ message: String) {
        context.report(key.map(keyPath) ?? path, message, severity: .error)
    }

    public func warning(_ key: String?, _ message: String) {
        context.report(key.map(keyPath) ?? path, message, severity: .warning)
    }

    private func value(_ key: String, required: Bool) -> ConfigValue? {
        consumed.insert(key)
        guard let v = table[key] else {
            if required { error(key, "required key is missing") }
            return nil
        }
        return v
    }

    private func typeError(_ key: String, expected: String, found: ConfigValue) {
        error(key, "expected \(expected), found \(found.type)")
    }

    public func string(_ key: String, required: Bool = false) -> String? {
        guard let v = value(key, required: required) else { return nil }
        guard let s = v.string else { typeError(key, expected: "a string", found: v); return nil }
        if required, s.trimmingCharacters(in: .whitespaces).isEmpty { error(key, "must not be empty"); return nil }
        return s
    }

    public func bool(_ key: String, required: Bool = false) -> Bool? {
        guard let v = value(key, required: required) else { return nil }
        guard let b = v.bool else { typeError(key, expected: "true or false", found: v); return nil }
        return b
    }

    /// An integer within `range` (inclusive).
    public func int(_ key: String, in range: ClosedRange<Int>, required: Bool = false) -> Int? {
        guard let v = value(key, required: required) else { return nil }
        guard let i = v.int else { typeError(key, expected: "an integer", found: v); return nil }
        guard range.contains(i) else {
            error(key, "\(i) is out of range; allowed \(range.lowerBound)…\(range.upperBound)")
            return nil
        }
        return i
    }

    public func double(_ key: String, in range: ClosedRange<Double>, required: Bool = false) -> Double? {
        guard let v = value(key, required: required) else { return nil }
        guard let d = v.double ?? v.int.map(Double.init) else { typeError(key, expected: "a number", found: v); return nil }
        guard range.contains(d) else {
            error(key, "\(d) is out of range; allowed \(range.lowerBound)…\(range.upperBound)")
            return nil
        }
        return d
    }

    /// A duration string (`15m`, `2h`, `7d`) within `range` seconds.
    public func duration(_ key: String, in range: ClosedRange<TimeInterval>, required: Bool = false) -> TimeInterval? {
        guard let v = value(key, required: required) else { return nil }
        guard let text = v.string else {
            if v.int != nil {
                error(key, "write durations with a unit, e.g. \"\(v.int!)s\" or \"15m\"")
            } else {
                typeError(key, expected: "a duration string such as \"15m\"", found: v)
            }
            return nil
        }
        guard let seconds = DurationSyntax.parse(text) else {
            error(key, "bad duration \"\(text)\"; use a number and a unit s, m, h, d or w, e.g. \"15m\", \"2h\", \"7d\"")
            return nil
        }
        guard range.contains(seconds) else {
            error(key, "\"\(text)\" is out of range; allowed \(DurationSyntax.format(range.lowerBound))…\(DurationSyntax.format(range.upperBound))")
            return nil
        }
        return seconds
    }

    /// A byte size (`10MiB` or an integer number of bytes) within `range`.
    public func size(_ key: String, in range: ClosedRange<Int64>, required: Bool = false) -> Int64? {
        guard let v = value(key, required: required) else { return nil }
        let bytes: Int64?
        if let i = v.int { bytes = Int64(i) } else if let s = v.string {
            bytes = SizeSyntax.parse(s)
            if bytes == nil {
                error(key, "bad size \"\(s)\"; use bytes or a unit, e.g. \"512KiB\", \"10MiB\"")
                return nil
            }
        } else { typeError(key, expected: "a size such as \"10MiB\"", found: v); return nil }
        guard let b = bytes, range.contains(b) else {
            error(key, "\(bytes.map(SizeSyntax.format) ?? "?") is out of range; allowed \(SizeSyntax.format(range.lowerBound))…\(SizeSyntax.format(range.upperBound))")
            return nil
        }
        return b
    }

    /// An array of strings.
    public func strings(_ key: String, required: Bool = false) -> [String]? {
        guard let v = value(key, required: required) else { return nil }
        guard let array = v.array else { typeError(key, expected: "an array of strings", found: v); return nil }
        var out: [String] = []
        for (i, element) in array.enumerated() {
            guard let s = element.string else { error("\(key)[\(i)]", "expected a string, found \(element.type)"); continue }
            out.append(s)
        }
        return out
    }

    /// A sub-table (`[detectors.volume]` or an inline table); nil and an error when of another type.
    public func subtable(_ key: String, required: Bool = false) -> TableReader? {
        guard let v = value(key, required: required) else { return nil }
        guard let t = v.table else { typeError(key, expected: "a table", found: v); return nil }
        return TableReader(table: t, path: keyPath(key), context: context)
    }

    /// A path; relative paths are resolved against the directory of the configuration file.
    public func path(_ key: String, required: Bool = false) -> URL? {
        guard let s = string(key, required: required) else { return nil }
        guard !s.isEmpty else { error(key, "must not be empty"); return nil }
        return context.resolvePath(s)
    }

    /// Reports every key present in the table that was never read: misspellings and stale keys.
    public func finish() {
        for key in table.keys.sorted() where !consumed.contains(key) {
            let known = consumed.sorted()
            var message = "unknown key"
            if let suggestion = TableReader.closest(to: key, in: known) { message += " (did you mean \"\(suggestion)\"?)" }
            error(key, message)
        }
    }

    /// The known key with the smallest edit distance, when close enough to be a likely typo.
    static func closest(to key: String, in known: [String]) -> String? {
        let maxDistance = 2  // a typo of up to two letters
        var best: (String, Int)? = nil
        for candidate in known {
            let d = editDistance(Array(key.lowercased()), Array(candidate.lowercased()))
            if d <= maxDistance, best == nil || d < best!.1 { best = (candidate, d) }
        }
        return best?.0
    }

    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var row = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                row[j] = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = row
        }
        return previous[b.count]
    }
}

/// Where diagnostics go while one file is being validated, plus what is needed to locate and
/// resolve things (file name, source map, base directory for relative paths).
public final class ConfigContext {
    public let file: String
    public let baseDirectory: URL
    public let sourceMap: SourceMap
    public private(set) var diagnostics: [ConfigDiagnostic] = []

    public init(file: String, baseDirectory: URL, sourceMap: SourceMap) {
        self.file = file; self.baseDirectory = baseDirectory; self.sourceMap = sourceMap
    }

    public func report(_ keyPath: String, _ message: String, severity: ConfigDiagnostic.Severity = .error) {
        diagnostics.append(ConfigDiagnostic(file: file, line: sourceMap.line(for: keyPath), key: keyPath,
                                            message: message, severity: severity))
    }

    public func resolvePath(_ path: String) -> URL {
        let expanded = (path as NSString).expandingTildeInPath
        if expanded.hasPrefix("/") { return URL(fileURLWithPath: expanded).standardizedFileURL }
        return baseDirectory.appendingPathComponent(expanded).standardizedFileURL
    }

    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
}
