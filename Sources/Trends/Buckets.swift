// Stage 5 of the pipeline: time-bucket aggregates and shift detectors.
import Foundation
import DyadCore

/// The width of a time bucket. Buckets are aligned on UTC hours and UTC midnights.
public enum Granularity: String, Codable, Sendable, CaseIterable, Comparable {
    case hour, day

    /// Length of one bucket in seconds.
    public var seconds: Int64 { self == .hour ? 3_600 : 86_400 }

    /// Number of buckets in one week: the period of the weekly rhythm.
    public var bucketsPerWeek: Int { self == .hour ? 168 : 7 }

    /// Start (UTC, seconds since 1970) of the bucket holding `date`.
    public func bucketStart(_ date: Date) -> Int64 {
        let t = Int64(date.timeIntervalSince1970.rounded(.down))
        return Int64(floor(Double(t) / Double(seconds))) * seconds
    }

    /// Position of a bucket in the week (0 = Monday 00:00 UTC), used for rhythm baselines.
    public func slotOfWeek(_ start: Int64) -> Int {
        // 1970-01-01 was a Thursday: shift so that Monday is slot 0.
        let mondayOffset: Int64 = 3 * 86_400
        let week: Int64 = 7 * 86_400
        let intoWeek = ((start + mondayOffset) % week + week) % week
        return Int(intoWeek / seconds)
    }

    public static func < (a: Granularity, b: Granularity) -> Bool { a.seconds < b.seconds }
}

/// Which slice of coverage an aggregate or alert is about: everything, one outlet group, one outlet,
/// or (for the divergence detector) a pair of groups. Rendered as `all`, `group:cn-state`,
/// `outlet:global-times`, `groups:cn-state~western`.
public struct Scope: Hashable, Comparable, Codable, Sendable, CustomStringConvertible {
    public let key: String
    public init(key: String) { self.key = key }

    public static let all = Scope(key: "all")
    public static func group(_ g: String) -> Scope { Scope(key: "group:" + slug(g)) }
    public static func outlet(_ o: String) -> Scope { Scope(key: "outlet:" + slug(o)) }
    public static func groupPair(_ a: String, _ b: String) -> Scope {
        let (x, y) = a <= b ? (a, b) : (b, a)
        return Scope(key: "groups:" + slug(x) + "~" + slug(y))
    }

    /// The scopes an entry of this outlet and group contributes to, in a fixed order.
    public static func scopes(outlet: String, group: String) -> [Scope] {
        [.all, .group(group), .outlet(outlet)]
    }

    public var isGroup: Bool { key.hasPrefix("group:") }
    /// The group name of a `group:` scope.
    public var groupName: String? { isGroup ? String(key.dropFirst("group:".count)) : nil }
    public var description: String { key }
    public static func < (a: Scope, b: Scope) -> Bool { a.key < b.key }

    public init(from decoder: Decoder) throws { key = try decoder.singleValueContainer().decode(String.self) }
    public func encode(to encoder: Encoder) throws { var c = encoder.singleValueContainer(); try c.encode(key) }

    /// Lower-case ASCII letters, digits and `-`/`.`/`_`; anything else becomes `-`. Keeps scope keys
    /// free of spaces so each alert line stays one greppable token per field.
    public static func slug(_ s: String) -> String {
        var out = ""
        var lastDash = false
        for scalar in s.lowercased().unicodeScalars {
            let ok = (scalar >= "a" && scalar <= "z") || (scalar >= "0" && scalar <= "9") || scalar == "." || scalar == "_" || scalar == "-"
            if ok && scalar != "-" { out.unicodeScalars.append(scalar); lastDash = false }
            else if !lastDash && !out.isEmpty { out.append("-"); lastDash = true }
        }
        while out.hasSuffix("-") { out.removeLast() }
        return out.isEmpty ? "unknown" : out
    }
}

/// Identifies one aggregate row: granularity, bucket start and scope.
public struct BucketKey: Hashable, Comparable, Sendable {
    public var granularity: Granularity
    public var start: Int64
    public var scope: Scope
    public init(granularity: Granularity, start: Int64, scope: Scope) {
        self.granularity = granularity; self.start = start; self.scope = scope
    }
    public static func < (a: BucketKey, b: BucketKey) -> Bool {
        (a.granularity, a.start, a.scope) < (b.granularity, b.start, b.scope)
    }
}
