import Foundation

/// Rewrites dates written with non-English month/weekday names (Greek, Hungarian, Russian) or
/// CJK date markers (年月日, 년월일, 오전/오후) into forms the RFC 822 / W3C parsers read.
enum LocalizedDates {
    /// Korean forms (onblog, nate) carry no zone and are Korea Standard Time, as feedparser reads them.
    private static let koreaOffset = "+09:00"

    /// Month stems after case and diacritic folding; index = month - 1.
    private static let monthStems: [[String]] = [
        ["ιαν", "jan", "янв"], ["φεβ", "feb", "фев"], ["μαρ", "μαω", "mar", "már", "мар"],
        ["απρ", "apr", "ápr", "апр"], ["μαι", "maj", "máj", "мая", "май"], ["ιουν", "ιον", "jun", "jún", "июн"],
        ["ιουλ", "ιολ", "jul", "júl", "июл"], ["αυγ", "aug", "авг"], ["σεπ", "sze", "сен"],
        ["οκτ", "okt", "окт"], ["νοε", "nov", "ноя"], ["δεκ", "dec", "дек"],
    ]
    private static let englishMonths = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    private static let weekdayStems: Set<String> = [
        "κυρ", "δευ", "τρι", "τετ", "πεμ", "παρ", "σαβ",
        "пн", "вт", "ср", "чт", "пт", "сб", "вс", "пон", "вто", "сре", "чет", "пят", "суб", "вос",
    ]

    static func toASCII(_ s: String) -> String? {
        if s.contains("년") || s.contains("年") { return cjk(s) }
        if s.contains("오전") || s.contains("오후") { return koreanMeridiem(s) }
        var out = ""
        var word = ""
        var previous: Character = " "
        func flush() -> Bool {
            guard !word.isEmpty else { return true }
            defer { word = "" }
            if word.unicodeScalars.allSatisfy({ $0.isASCII }) { out += word; return true }
            let folded = word.folding(options: [.caseInsensitive], locale: nil).lowercased()
            let plain = folded.folding(options: [.diacriticInsensitive], locale: nil)
            for (i, stems) in monthStems.enumerated() where stems.contains(where: { folded.hasPrefix($0) || plain.hasPrefix($0) }) {
                out += previous == "-" ? String(format: "%02d", i + 1) : englishMonths[i]
                return true
            }
            if weekdayStems.contains(where: { plain.hasPrefix($0) }) { return true }
            return false
        }
        for ch in s {
            if ch.isLetter { word.append(ch); continue }
            guard flush() else { return nil }
            out.append(ch)
            previous = ch
        }
        guard flush() else { return nil }
        let trimmed = out.trimmingCharacters(in: .whitespaces)
        return trimmed.unicodeScalars.allSatisfy({ $0.isASCII }) ? trimmed : nil
    }

    /// `2004년 05월 28일  01:31:15` / `2022年02月21日 10:00` → ISO 8601 (Korean: KST).
    private static func cjk(_ s: String) -> String? {
        let korean = s.contains("년")
        var groups: [Int] = []
        var current = ""
        for ch in s + " " {
            if ch.isASCII && ch.isNumber { current.append(ch); continue }
            if !current.isEmpty { groups.append(Int(current) ?? -1); current = "" }
        }
        guard groups.count >= 3, groups.count <= 6, !groups.contains(-1) else { return nil }
        var iso = String(format: "%04d-%02d-%02d", groups[0], groups[1], groups[2])
        if groups.count >= 5 {
            iso += String(format: "T%02d:%02d:%02d", groups[3], groups[4], groups.count > 5 ? groups[5] : 0)
        } else if groups.count == 4 {
            return nil
        } else if korean {
            iso += "T00:00:00"
        }
        if korean { iso += koreaOffset }
        return iso
    }

    /// `2004-05-25 오후 11:23:17` (nate): 오전 = a.m., 오후 = p.m., Korea time.
    private static func koreanMeridiem(_ s: String) -> String? {
        let pm = s.contains("오후")
        let parts = s.replacingOccurrences(of: "오전", with: " ").replacingOccurrences(of: "오후", with: " ")
            .split(separator: " ").map(String.init)
        guard parts.count == 2 else { return nil }
        let hms = parts[1].split(separator: ":").compactMap { Int($0) }
        guard hms.count >= 2 else { return nil }
        var hour = hms[0]
        if pm && hour < 12 { hour += 12 }
        if !pm && hour == 12 { hour = 0 }
        return parts[0] + String(format: "T%02d:%02d:%02d", hour, hms[1], hms.count > 2 ? hms[2] : 0) + koreaOffset
    }
}
