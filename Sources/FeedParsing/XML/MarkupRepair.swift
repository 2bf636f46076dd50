import CLibXML2

/// Byte-level fix-ups for the second, recovering parse of an ill-formed document (the XML itself
/// is still parsed by libxml2): drops junk before the first tag, escapes bare `&`, and rewrites
/// undefined entity references to HTML character references (or literal text when unknown).
/// The five predefined entities become numeric references too: once libxml2 has seen an error it
/// silently drops entity references (not character references) from content, which would turn
/// `a &amp; b` into `a  b` in everything after the error. CDATA sections, comments and
/// processing instructions are copied untouched.
enum MarkupRepair {
    /// XML's predefined entities and their code points.
    private static let predefined: [String: Int] = ["amp": 38, "lt": 60, "gt": 62, "quot": 34, "apos": 39]
    /// Longest entity name considered (longest HTML 4 name is 8; leave room for odd ones).
    private static let maxEntityName = 32

    struct Result {
        var bytes: [UInt8]
        var droppedLeadingBytes: Int
        var rewrittenReferences: Int
        /// Predefined entities turned into character references (not a repair of the input).
        var normalizedReferences: Int
    }

    static func repair(_ input: [UInt8], undefinedEntities: Set<String>) -> Result {
        var out = [UInt8]()
        out.reserveCapacity(input.count + 64)
        let start = firstMarkup(input)
        var rewritten = 0
        var normalized = 0
        var i = start
        let n = input.count
        while i < n {
            let b = input[i]
            if b == UInt8(ascii: "<") {
                if let end = skipOpaque(input, from: i) {
                    out.append(contentsOf: input[i..<end]); i = end; continue
                }
                out.append(b); i += 1; continue
            }
            if b != UInt8(ascii: "&") { out.append(b); i += 1; continue }
            // An ampersand: keep well-formed references, fix the rest.
            if let (name, end) = entityReference(input, at: i) {
                if let code = predefined[name] {
                    out.append(contentsOf: Array("&#\(code);".utf8)); normalized += 1
                } else if name.hasPrefix("#") || !undefinedEntities.contains(name) {
                    out.append(contentsOf: input[i..<end])
                } else if let scalar = htmlEntityScalar(name) {
                    out.append(contentsOf: Array("&#\(scalar);".utf8)); rewritten += 1
                } else {
                    out.append(contentsOf: Array("&amp;".utf8)); out.append(contentsOf: input[(i + 1)..<end]); rewritten += 1
                }
                i = end
            } else {
                out.append(contentsOf: Array("&amp;".utf8)); rewritten += 1; i += 1
            }
        }
        return Result(bytes: out, droppedLeadingBytes: start, rewrittenReferences: rewritten, normalizedReferences: normalized)
    }

    /// Offset of the first `<` that starts a declaration, comment, PI or element; 0 if none.
    private static func firstMarkup(_ d: [UInt8]) -> Int {
        var i = 0
        while i + 1 < d.count {
            if d[i] == UInt8(ascii: "<") {
                let c = d[i + 1]
                if c == UInt8(ascii: "?") || c == UInt8(ascii: "!") || isNameStart(c) { return i }
            }
            i += 1
        }
        return 0
    }

    /// End offset of a CDATA section, comment or PI starting at `i`, nil for other markup.
    private static func skipOpaque(_ d: [UInt8], from i: Int) -> Int? {
        func has(_ s: String, at j: Int) -> Bool {
            let u = Array(s.utf8)
            guard j + u.count <= d.count else { return false }
            for k in 0..<u.count where d[j + k] != u[k] { return false }
            return true
        }
        func find(_ s: String, from j: Int) -> Int {
            let u = Array(s.utf8)
            var k = j
            while k + u.count <= d.count {
                if d[k] == u[0] && has(s, at: k) { return k + u.count }
                k += 1
            }
            return d.count
        }
        if has("<![CDATA[", at: i) { return find("]]>", from: i + 9) }
        if has("<!--", at: i) { return find("-->", from: i + 4) }
        if has("<?", at: i) { return find("?>", from: i + 2) }
        return nil
    }

    /// A syntactically complete reference `&name;`, `&#123;` or `&#x1F;` at `i`: (name, end).
    private static func entityReference(_ d: [UInt8], at i: Int) -> (String, Int)? {
        var j = i + 1
        guard j < d.count else { return nil }
        if d[j] == UInt8(ascii: "#") {
            j += 1
            let hex = j < d.count && (d[j] == UInt8(ascii: "x") || d[j] == UInt8(ascii: "X"))
            if hex { j += 1 }
            let digitsStart = j
            while j < d.count && (hex ? isHexDigit(d[j]) : isDigit(d[j])) { j += 1 }
            guard j > digitsStart, j < d.count, d[j] == UInt8(ascii: ";") else { return nil }
            return ("#", j + 1)
        }
        guard isNameStart(d[j]) else { return nil }
        let nameStart = j
        while j < d.count && j - nameStart <= maxEntityName && isNameChar(d[j]) { j += 1 }
        guard j < d.count, d[j] == UInt8(ascii: ";") else { return nil }
        return (String(decoding: d[nameStart..<j], as: UTF8.self), j + 1)
    }

    /// The code point of an HTML 4 named entity, from libxml2's HTML entity table.
    static func htmlEntityScalar(_ name: String) -> UInt32? {
        guard let desc = htmlEntityLookup(name) else { return nil }
        return desc.pointee.value
    }

    private static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
    private static func isHexDigit(_ b: UInt8) -> Bool { isDigit(b) || (b | 0x20 >= 0x61 && b | 0x20 <= 0x66) }
    private static func isNameStart(_ b: UInt8) -> Bool {
        (b | 0x20 >= 0x61 && b | 0x20 <= 0x7A) || b == UInt8(ascii: "_") || b == UInt8(ascii: ":") || b >= 0x80
    }
    private static func isNameChar(_ b: UInt8) -> Bool {
        isNameStart(b) || isDigit(b) || b == UInt8(ascii: "-") || b == UInt8(ascii: ".")
    }
}
