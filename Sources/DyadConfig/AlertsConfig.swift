import Foundation

/// `[alerts]`: the optional `on_alert` command and the debounce interval.
///
///     [alerts]
///     on_alert = "/usr/local/bin/notify-team"   # run with the alert's JSON on stdin
///     on_alert_timeout = "10s"
///     cooldown = "72h"                          # one alert per (detector, scope) per cooldown
public struct AlertsConfig: ConfigSection, Equatable {
    public static let tableName = "alerts"

    public enum Defaults {
        public static let onAlertTimeout: TimeInterval = 10
        public static let cooldown: TimeInterval = 72 * 3_600
    }

    /// Shell command (`/bin/sh -c`), nil when not configured.
    public var onAlert: String?
    public var onAlertTimeout: TimeInterval
    public var cooldown: TimeInterval

    public init(from r: TableReader) {
        onAlert = r.string("on_alert")
        if let c = onAlert, c.trimmingCharacters(in: .whitespaces).isEmpty { r.error("on_alert", "must not be empty"); onAlert = nil }
        onAlertTimeout = r.duration("on_alert_timeout", in: 1...3_600) ?? Defaults.onAlertTimeout
        cooldown = r.duration("cooldown", in: 0...(365 * 86_400)) ?? Defaults.cooldown
    }
}
