import Foundation
import PostgresNIO

/// One bound parameter (`$1`, `$2`, …) of a statement: the few types the state tables use.
/// Dates are `timestamptz` (microseconds), integers `bigint`.
public enum PGArg: Sendable {
    case text(String?)
    case int(Int64?)
    case double(Double?)
    case bool(Bool?)
    case date(Date?)
    case textArray([String])
    case intArray([Int64])

    public static func int(_ v: Int?) -> PGArg { .int(v.map(Int64.init)) }

    func bind(_ b: inout PostgresBindings) {
        switch self {
        case .text(let v): b.append(v)
        case .int(let v): b.append(v)
        case .double(let v): b.append(v)
        case .bool(let v): b.append(v)
        case .date(let v): b.append(v)
        case .textArray(let v): b.append(v)
        case .intArray(let v): b.append(v)
        }
    }
}

/// Reading typed columns of a result row by name.
extension PostgresRandomAccessRow {
    func get<T: PostgresDecodable>(_ column: String, as t: T.Type = T.self) throws -> T {
        try self[column].decode(T.self)
    }
}
