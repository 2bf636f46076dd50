import Foundation

/// A value that writes itself as JSON with `JSONWriter`, byte for byte what `DyadJSON.encoder()`
/// gives for it. For the types stored per entry on the storage hot path (analysis results,
/// contributions, aggregates): `JSONEncoder` with sorted keys costs tens of microseconds per
/// value, most of the replay's time before this writer.
public protocol JSONWritable {
    func write(json w: inout JSONWriter)
}

/// Writes JSON into a byte buffer the way `DyadJSON.encoder()` does: keys in `String` order (the
/// writer's callers list fixed keys already sorted; dictionaries are sorted here), slashes not
/// escaped, `"` `\` and control characters escaped as `JSONEncoder` does (`\b \t \n \f \r`, else
/// `\u00XX`), doubles in their shortest round-trip form without a trailing `.0`, dates as
/// `ISO8601.string`, nil optionals left out (the caller skips the key). A NaN or infinite double,
/// which `JSONEncoder` refuses, marks the writer `invalid`.
public struct JSONWriter {
    public private(set) var bytes: [UInt8] = []
    /// Set when a value JSON cannot hold (NaN, ±infinity) was written.
    public private(set) var invalid = false
    /// No element or key written yet in the innermost container.
    private var first = true

    public init(capacity: Int = 256) { bytes.reserveCapacity(capacity) }

    /// The JSON text of `value`, or nil when it holds a NaN or infinite double.
    public static func string<T: JSONWritable>(_ value: T) -> String? {
        var w = JSONWriter()
        value.write(json: &w)
        return w.invalid ? nil : String(decoding: w.bytes, as: UTF8.self)
    }

    // MARK: containers

    public mutating func beginObject() { bytes.append(UInt8(ascii: "{")); first = true }
    public mutating func endObject() { bytes.append(UInt8(ascii: "}")); first = false }
    public mutating func beginArray() { bytes.append(UInt8(ascii: "[")); first = true }
    public mutating func endArray() { bytes.append(UInt8(ascii: "]")); first = false }

    /// Starts a member: `,"key":`. `key` must need no escaping (the fixed keys of a type).
    public mutating func key(_ key: StaticString) {
        separator()
        bytes.append(UInt8(ascii: "\""))
        key.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
    }

    /// Starts an array element (the comma before all but the first).
    public mutating func element() { separator() }

    private mutating func separator() {
        if !first { bytes.append(UInt8(ascii: ",")) }
        first = false
    }

    // MARK: values

    public mutating func string(_ s: String) { JSONString.append(s, to: &bytes) }

    public mutating func int<I: BinaryInteger>(_ v: I) {
        if v >= 0 && v < 10 { bytes.append(UInt8(ascii: "0") + UInt8(v)); return }
        bytes.append(contentsOf: String(v).utf8)
    }

    public mutating func bool(_ v: Bool) {
        bytes.append(contentsOf: v ? Self.trueBytes : Self.falseBytes)
    }

    /// Shortest round-trip form (`0.1`, `1e-05`, `1e+20`), `1` for `1.0`: `JSONEncoder`'s output.
    public mutating func double(_ v: Double) {
        guard v.isFinite else { invalid = true; bytes.append(contentsOf: "null".utf8); return }
        let s = v.description
        let u = s.utf8
        if u.count > 2, u.last == UInt8(ascii: "0"), u[u.index(u.endIndex, offsetBy: -2)] == UInt8(ascii: ".") {
            bytes.append(contentsOf: u.dropLast(2))
        } else {
            bytes.append(contentsOf: u)
        }
    }

    public mutating func date(_ d: Date) { string(ISO8601.string(d)) }

    public mutating func value<T: JSONWritable>(_ v: T) { v.write(json: &self) }

    public mutating func array<T: JSONWritable>(_ list: [T]) {
        beginArray()
        for v in list { element(); v.write(json: &self) }
        endArray()
    }

    public mutating func array(_ list: [String]) {
        beginArray()
        for v in list { element(); string(v) }
        endArray()
    }

    /// A `[String: Int]` as an object with its keys sorted, as `.sortedKeys` does.
    public mutating func object(_ dict: [String: Int]) {
        beginObject()
        for k in dict.keys.sorted() {
            separator()
            string(k)
            bytes.append(UInt8(ascii: ":"))
            int(dict[k]!)
        }
        endObject()
    }

    /// A `[String: Double]` as an object with its keys sorted.
    public mutating func object(_ dict: [String: Double]) {
        beginObject()
        for k in dict.keys.sorted() {
            separator()
            string(k)
            bytes.append(UInt8(ascii: ":"))
            double(dict[k]!)
        }
        endObject()
    }

    private static let trueBytes = Array("true".utf8)
    private static let falseBytes = Array("false".utf8)
}
