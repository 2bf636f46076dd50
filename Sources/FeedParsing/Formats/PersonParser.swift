import DyadCore

/// Splits RSS-style author strings (`me@example.com (Jane Doe)`, `Jane Doe <me@example.com>`,
/// `Jane Doe`) into name and e-mail, the way feed readers conventionally do.
enum PersonParser {
    static func parse(_ raw: String) -> Person? {
        var text = raw.trimmingASCIIWhitespace()
        guard !text.isEmpty else { return nil }
        var email: String?
        let words = text.split(whereSeparator: { $0 == " " || $0 == "(" || $0 == ")" || $0 == "<" || $0 == ">" || $0 == "," || $0 == "\t" || $0 == "\n" })
        for w in words where w.contains("@") {
            var candidate = String(w)
            if candidate.lowercased().hasPrefix("mailto:") { candidate = String(candidate.dropFirst(7)) }
            if looksLikeEmail(candidate) { email = candidate; text = text.replacingOccurrences(of: String(w), with: ""); break }
        }
        if email != nil {
            text = text.replacingOccurrences(of: "()", with: "").replacingOccurrences(of: "<>", with: "")
            text = text.trimmingASCIIWhitespace()
            if text.hasPrefix("(") { text.removeFirst() }
            if text.hasSuffix(")") { text.removeLast() }
            text = text.trimmingASCIIWhitespace()
        }
        let name = text.isEmpty ? nil : text
        if name == nil && email == nil { return nil }
        return Person(name: name, email: email)
    }

    private static func looksLikeEmail(_ s: String) -> Bool {
        let parts = s.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !parts[1].hasSuffix(".") else { return false }
        return s.allSatisfy { $0.isLetter || $0.isNumber || "._+-@[]?=&%".contains($0) }
    }
}
