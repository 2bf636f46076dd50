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
            func put(_ value: Int, _ digits: Int, at offset: Int) {
                var v = value
                for i in stride(from: offset + digits - 1, through: offset, by: -1) {
                    b[i] = UInt8(ascii: "0") + UInt8(v % 10)
                    v /= 10
                }
            }
            put(Int(tmv.tm_year) + 1900, 4, at: 0); b[4] = UInt8(ascii: "-")
            put(Int(tmv.tm_mon) + 1, 2, at: 5); b[7] = UInt8(ascii: "-")
            put(Int(tmv.tm_mday), 2, at: 8); b[10] = UInt8(ascii: " ")
            put(Int(tmv.tm_hour), 2, at: 11); b[13] = UInt8(ascii: ":")
            put(Int(tmv.tm_min), 2, at: 14); b[16] = UInt8(ascii: ":")
            put(Int(tmv.tm_sec), 2, at: 17); b[19] = UInt8(ascii: ".")
            b[20] = UInt8(ascii: "0"); b[21] = UInt8(ascii: "0"); b[22] = UInt8(ascii: "0")
            return 23
        }
    }
}
