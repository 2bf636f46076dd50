import DyadCore
import Foundation

/// The outcome of choosing and applying a character encoding: UTF-8 bytes ready for libxml2,
/// the encoding's name (lower case, feedparser's spelling) and any problems met.
struct DecodedDocument {
    var utf8: [UInt8]
    var encoding: String
    var problems: [String]
}

/// Picks a document's encoding in the order BOM → HTTP charset → XML declaration → sniffing,
/// and converts the document to UTF-8. Wrong declarations fall back to UTF-8, then windows-1252.
enum CharsetDetector {
    /// Bytes examined when looking for the XML declaration.
    private static let declarationWindow = 1024
    /// Share of high bytes in well-formed UTF-8 sequences above which an invalid document is
    /// still read as (damaged) UTF-8 rather than as a legacy charset.
    private static let mostlyUTF8 = 0.5

    static func decode(_ data: [UInt8], httpCharset: String?) -> DecodedDocument {
        decode(data, httpCharset: httpCharset, declared: xmlDeclaredEncoding(data), declarationSource: "XML declaration")
    }

    /// The same order for any markup: `declared` is what the document itself says (an XML
    /// declaration, an HTML `<meta charset>`), named by `declarationSource` in problems.
    static func decode(_ data: [UInt8], httpCharset: String?, declared: String?, declarationSource: String) -> DecodedDocument {
        if let (name, bomLength) = byteOrderMark(data) {
            let body = Array(data[bomLength...])
            return convert(body, declared: name, source: "byte-order mark")
        }
        if let wide = wideEncodingWithoutBOM(data) {
            return convert(data, declared: wide, source: "byte pattern")
        }
        let declaredInDocument = declared.flatMap(normalize)
        var httpProblem: String?
        if let http = httpCharset.flatMap(normalize), !http.isEmpty {
            if http.hasPrefix("utf-16") || http.hasPrefix("utf-32") {
                // No BOM and no wide byte pattern: the server's label cannot be right.
                httpProblem = "HTTP charset \(http) ignored: the document is 8-bit"
            } else {
                let viaHTTP = convert(data, declared: http, source: "HTTP charset")
                if viaHTTP.problems.isEmpty { return viaHTTP }
                // Servers often send a default charset; a declaration that fits the bytes wins then.
                if let declared = declaredInDocument, declared != http, !declared.hasPrefix("utf-16"), !declared.hasPrefix("utf-32") {
                    var viaDeclaration = convert(data, declared: declared, source: declarationSource)
                    if viaDeclaration.problems.isEmpty {
                        viaDeclaration.problems = ["HTTP charset \(http) does not fit the bytes; read as \(declared) as the \(declarationSource) says"]
                        return viaDeclaration
                    }
                }
                return viaHTTP
            }
        }
        var doc = decodeByDeclaration(data, declaredInDocument, source: declarationSource)
        if let httpProblem { doc.problems.insert(httpProblem, at: 0) }
        return doc
    }

    /// The XML declaration, else sniffing.
    private static func decodeByDeclaration(_ data: [UInt8], _ declaredInDocument: String?, source: String) -> DecodedDocument {
        if let declared = declaredInDocument {
            if declared.hasPrefix("utf-16") || declared.hasPrefix("utf-32") {
                // An 8-bit document cannot really be UTF-16/32: the declaration is wrong.
                var doc = sniff(data)
                doc.problems.append("encoding declared as \(declared) but the document is 8-bit; read as \(doc.encoding)")
                return doc
            }
            return convert(data, declared: declared, source: source)
        }
        return sniff(data)
    }

    /// Encodings named by a byte-order mark, with the mark's length.
    static func byteOrderMark(_ d: [UInt8]) -> (String, Int)? {
        if d.count >= 4 && d[0] == 0x00 && d[1] == 0x00 && d[2] == 0xFE && d[3] == 0xFF { return ("utf-32be", 4) }
        if d.count >= 4 && d[0] == 0xFF && d[1] == 0xFE && d[2] == 0x00 && d[3] == 0x00 { return ("utf-32le", 4) }
        if d.count >= 3 && d[0] == 0xEF && d[1] == 0xBB && d[2] == 0xBF { return ("utf-8", 3) }
        if d.count >= 2 && d[0] == 0xFE && d[1] == 0xFF { return ("utf-16be", 2) }
        if d.count >= 2 && d[0] == 0xFF && d[1] == 0xFE { return ("utf-16le", 2) }
        return nil
    }

    /// UTF-16/32 recognised from how `<` or `<?` is laid out (XML 1.0 appendix F).
    static func wideEncodingWithoutBOM(_ d: [UInt8]) -> String? {
        guard d.count >= 4 else { return nil }
        switch (d[0], d[1], d[2], d[3]) {
        case (0x00, 0x00, 0x00, 0x3C): return "utf-32be"
        case (0x3C, 0x00, 0x00, 0x00): return "utf-32le"
        case (0x00, 0x3C, 0x00, let next) where next != 0: return "utf-16be"     // "<?", "<!", "<a" …
        case (0x3C, 0x00, let next, 0x00) where next != 0: return "utf-16le"
        default: return nil
        }
    }

    /// The `encoding="…"` pseudo-attribute of an ASCII-compatible XML declaration.
    static func xmlDeclaredEncoding(_ d: [UInt8]) -> String? {
        let window = d.prefix(declarationWindow)
        guard let start = window.firstIndex(of: UInt8(ascii: "<")),
              window.count > start + 5,
              window[start + 1] == UInt8(ascii: "?"), window[start + 2] | 0x20 == UInt8(ascii: "x"),
              window[start + 3] | 0x20 == UInt8(ascii: "m"), window[start + 4] | 0x20 == UInt8(ascii: "l") else { return nil }
        guard let end = window[start...].firstIndex(of: UInt8(ascii: ">")) else { return nil }
        let decl = String(decoding: window[start..<end], as: UTF8.self)
        guard let r = decl.range(of: "encoding") else { return nil }
        var rest = decl[r.upperBound...].drop { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard rest.first == "=" else { return nil }
        rest = rest.dropFirst().drop { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let quote = rest.first, quote == "\"" || quote == "'" else { return nil }
        let value = rest.dropFirst().prefix { $0 != quote }
        return value.isEmpty ? nil : String(value)
    }

    /// Lower-cased charset name with the common aliases folded to one spelling.
    static func normalize(_ raw: String) -> String? {
        var n = raw.trimmingASCIIWhitespace().lowercased()
        if n.hasPrefix("\"") || n.hasPrefix("'") { n = String(n.dropFirst()) }
        if n.hasSuffix("\"") || n.hasSuffix("'") { n = String(n.dropLast()) }
        guard !n.isEmpty else { return nil }
        switch n {
        case "utf8", "unicode-1-1-utf-8", "x-unicode20utf8": return "utf-8"
        case "utf-16", "utf16", "ucs-2", "unicode": return "utf-16"
        case "latin1", "latin-1", "iso8859-1", "iso_8859-1", "l1", "iso-latin-1", "iso_8859-1:1987": return "iso-8859-1"
        case "ascii", "us-ascii", "ansi_x3.4-1968", "iso646-us": return "us-ascii"
        case "cp1251", "win-1251", "x-cp1251", "windows1251": return "windows-1251"
        case "cp1252", "x-cp1252", "windows1252": return "windows-1252"
        case "koi8r", "koi8": return "koi8-r"
        case "gb_2312-80", "gb2312-80", "x-gbk", "cp936", "ms936", "windows-936": return n == "cp936" || n == "ms936" || n == "windows-936" || n == "x-gbk" ? "gbk" : "gb2312"
        case "euc-cn", "x-euc-cn": return "gb2312"
        case "big5-hkscs", "x-big5", "cn-big5": return "big5"
        case "sjis", "x-sjis", "shift-jis", "ms_kanji", "csshiftjis", "windows-31j", "cp932": return "shift_jis"
        case "euckr", "ks_c_5601-1987", "cp949", "windows-949": return "euc-kr"
        default:
            if n.hasPrefix("iso8859-") { return "iso-8859-" + n.dropFirst(8) }
            if n.hasPrefix("iso_8859-") { return "iso-8859-" + n.dropFirst(9) }
            return n
        }
    }

    /// The iconv name used to decode a (normalized) charset: supersets where labels understate
    /// what real feeds contain (GB2312 → GB18030, Latin-1/ASCII → windows-1252, Big5 → Big5-HKSCS).
    static func iconvName(for charset: String) -> String {
        switch charset {
        case "gb2312", "gbk", "gb18030": return "GB18030"
        case "iso-8859-1", "us-ascii": return "WINDOWS-1252"
        case "big5": return "BIG5-HKSCS"
        case "shift_jis": return "CP932"
        case "euc-kr": return "CP949"
        case "utf-16": return "UTF-16"
        default: return charset.uppercased()
        }
    }

    /// Converts with the declared charset; on failure tries UTF-8, then windows-1252.
    static func convert(_ data: [UInt8], declared: String, source: String) -> DecodedDocument {
        var problems: [String] = []
        var declared = declared
        if declared == "utf-16" { declared = utf16Endianness(data) }
        if declared == "utf-8" || declared == "us-ascii" {
            if isValidUTF8(data) { return DecodedDocument(utf8: data, encoding: declared == "us-ascii" && !isASCII(data) ? "utf-8" : declared, problems: []) }
        }
        if declared != "utf-8" && !declared.hasPrefix("utf-") && isSingleByteCharset(declared) && containsUTF8Multibyte(data) && isValidUTF8(data) {
            // Valid non-ASCII UTF-8 almost never happens by chance in single-byte text.
            problems.append("encoding declared as \(declared) (\(source)) but the document is UTF-8; read as utf-8")
            return DecodedDocument(utf8: data, encoding: "utf-8", problems: problems)
        }
        switch Transcoder.toUTF8(data, from: iconvName(for: declared), strict: true) {
        case .success(let out):
            return DecodedDocument(utf8: out, encoding: declared, problems: [])
        case .failure(.unknownCharset):
            problems.append("unknown encoding '\(declared)' (\(source))")
        case .failure(.invalidBytes(let offset)):
            problems.append("bytes invalid in \(declared) (\(source)) at offset \(offset)")
        }
        var doc = sniff(data)
        doc.problems = problems + doc.problems
        if doc.problems.count == problems.count { doc.problems.append("read as \(doc.encoding) instead") }
        return doc
    }

    /// No usable declaration: UTF-8 when valid, else a Cyrillic/CJK guess, else windows-1252.
    static func sniff(_ data: [UInt8]) -> DecodedDocument {
        if isValidUTF8(data) { return DecodedDocument(utf8: data, encoding: "utf-8", problems: []) }
        if utf8Ratio(data) >= mostlyUTF8, case .success(let out) = Transcoder.toUTF8(data, from: "UTF-8", strict: false) {
            return DecodedDocument(utf8: out, encoding: "utf-8", problems: ["invalid UTF-8 sequences replaced with U+FFFD"])
        }
        let guess = LegacyCharsetGuesser.guess(data)
        if case .success(let out) = Transcoder.toUTF8(data, from: iconvName(for: guess), strict: true) {
            return DecodedDocument(utf8: out, encoding: guess, problems: [])
        }
        if case .success(let out) = Transcoder.toUTF8(data, from: "WINDOWS-1252", strict: false) {
            return DecodedDocument(utf8: out, encoding: "windows-1252", problems: [])
        }
        return DecodedDocument(utf8: data, encoding: "utf-8", problems: ["could not decode the document"])
    }

    private static func utf16Endianness(_ d: [UInt8]) -> String {
        if d.count >= 2 && d[0] == 0 && d[1] != 0 { return "utf-16be" }
        return "utf-16le"
    }

    /// Strict UTF-8 validation: `DyadCore.UTF8Validation`.
    static func isValidUTF8(_ d: [UInt8]) -> Bool {
        d.withUnsafeBufferPointer { UTF8Validation.isValid($0) }
    }

    static func isASCII(_ d: [UInt8]) -> Bool {
        d.withUnsafeBufferPointer { buf in
            var acc: UInt8 = 0
            for b in buf { acc |= b }
            return acc < 0x80
        }
    }

    /// True when the bytes hold at least one well-formed multi-byte UTF-8 sequence.
    static func containsUTF8Multibyte(_ d: [UInt8]) -> Bool {
        var i = 0
        while i + 1 < d.count {
            if d[i] >= 0xC2 && d[i] <= 0xF4 && d[i + 1] & 0xC0 == 0x80 { return true }
            i += 1
        }
        return false
    }

    /// Share of high bytes that take part in well-formed UTF-8 sequences.
    static func utf8Ratio(_ d: [UInt8]) -> Double {
        var good = 0, bad = 0, i = 0
        while i < d.count {
            let b = d[i]
            if b < 0x80 { i += 1; continue }
            let need = b >= 0xF0 && b <= 0xF4 ? 3 : b >= 0xE0 ? 2 : b >= 0xC2 ? 1 : -1
            if need > 0 && i + need < d.count + 0 && (1...need).allSatisfy({ i + $0 < d.count && d[i + $0] & 0xC0 == 0x80 }) {
                good += need + 1; i += need + 1
            } else { bad += 1; i += 1 }
        }
        return good + bad == 0 ? 1 : Double(good) / Double(good + bad)
    }

    static func isSingleByteCharset(_ n: String) -> Bool {
        n.hasPrefix("iso-8859-") || n.hasPrefix("windows-125") || n.hasPrefix("koi8") || n == "us-ascii"
            || n.hasPrefix("cp125") || n == "macintosh" || n == "ibm866" || n == "cp866"
    }
}
