import DyadCore
import Foundation
import GRDB

/// Dates bound into the entries table in GRDB's own text form (`2022-02-19 03:18:29.000`, UTC),
/// written by hand: GRDB formats every `Date` argument with a `DateFormatter`, which showed in the
/// replay's profile (four dates per stored entry). Whole seconds from 1600 to 9999 only, where the
/// formatter's calendar is plain Gregorian and `.SSS` is `000`; any other date is bound as a `Date`
/// and formatted by GRDB, so the stored text is the same either way (a test compares them).
enum StoredDate {
    static func value(_ date: Date?) -> (any DatabaseValueConvertible)? {
        guard let date else { return nil }
        let seconds = date.timeIntervalSince1970
        guard seconds.rounded(.down) == seconds, seconds >= -11_676_096_000, seconds < 253_402_300_800 else { return date }
        var t = time_t(seconds)
        var tmv = tm()
        gmtime_r(&t, &tmv)
        return String(unsafeUninitializedCapacity: 23) { b in
            ISO8601.writeFields(tmv, separator: UInt8(ascii: " "), into: b)
            b[19] = UInt8(ascii: "."); b[20] = UInt8(ascii: "0"); b[21] = UInt8(ascii: "0"); b[22] = UInt8(ascii: "0")
            return 23
        }
    }
}
