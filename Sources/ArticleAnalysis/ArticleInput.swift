import Foundation
import DyadCore

/// Turns `analyze` input (plain text, HTML or JSON lines) into articles, or a clear error per line.
public enum ArticleInput {
    /// One unit of input: an article, or a problem with the line it came from.
    public enum Item {
        case article(Article)
        case failure(String)
    }

    /// Parses one input source. `name` is the file name as given (used for ids and messages).
    /// JSON lines are recognized by a first non-blank `{`; HTML by its tags; anything else is plain
    /// text whose first non-empty line is the title. Invalid UTF-8 is repaired (U+FFFD), never fatal.
    public static func items(from bytes: [UInt8], name: String) -> [Item] {
        if isJSONLines(bytes) { return jsonLines(bytes, name: name) }
        let baseID = (name as NSString).lastPathComponent
        if HTMLText.looksLikeHTML(bytes) {
            let text = String(decoding: bytes, as: UTF8.self)
            let body = HTMLText.plainText(text)
            if let title = HTMLText.title(text) {
                return [.article(Article(id: baseID, title: title, text: body.replacingOccurrences(of: title, with: "", options: .anchored)))]
            }
            return [.article(plainArticle(body, id: baseID))]
        }
        return [.article(plainArticle(bytes: bytes, id: baseID))]
    }

    /// JSON lines are recognized by a first non-blank `{` (after an optional byte-order mark).
    public static func isJSONLines<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> Bool {
        let firstNonBlank = bytes.first { !($0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D || $0 == 0xEF || $0 == 0xBB || $0 == 0xBF) }
        return firstNonBlank == UInt8(ascii: "{")
    }

    /// First non-empty line is the title, the rest the text (found on bytes: linear even for a
    /// 50 MB single line).
    static func plainArticle(_ text: String, id: String) -> Article {
        plainArticle(bytes: Array(text.utf8), id: id)
    }

    static func plainArticle(bytes: [UInt8], id: String) -> Article {
        var i = 0
        while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x09 || bytes[i] == 0x0A || bytes[i] == 0x0D { i += 1 }
        if i + 2 < bytes.count && bytes[i] == 0xEF && bytes[i + 1] == 0xBB && bytes[i + 2] == 0xBF { i += 3 }   // BOM
        var nl = i
        while nl < bytes.count && bytes[nl] != 0x0A && bytes[nl] != 0x0D { nl += 1 }
        var titleEnd = nl
        while titleEnd > i && (bytes[titleEnd - 1] == 0x20 || bytes[titleEnd - 1] == 0x09) { titleEnd -= 1 }
        let title = decode(bytes, i, titleEnd)
        if nl >= bytes.count { return Article(id: id, title: title, text: "") }
        var bodyStart = nl + 1
        if bytes[nl] == 0x0D && bodyStart < bytes.count && bytes[bodyStart] == 0x0A { bodyStart += 1 }
        return Article(id: id, title: title, text: decode(bytes, bodyStart, bytes.count))
    }

    /// UTF-8 bytes to String through a buffer pointer (the fast, contiguous path).
    static func decode(_ bytes: [UInt8], _ start: Int, _ end: Int) -> String {
        bytes.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[start..<end]), as: UTF8.self) }
    }

    static func jsonLines(_ bytes: [UInt8], name: String) -> [Item] {
        var items: [Item] = []
        var lineNumber = 0
        var start = 0
        while start <= bytes.count {
            var end = start
            while end < bytes.count && bytes[end] != 0x0A { end += 1 }
            lineNumber += 1
            let line = bytes[start..<end]
            start = end + 1
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) {
                if end >= bytes.count { break } else { continue }
            }
            items.append(jsonItem(Data(line), name: name, line: lineNumber))
            if end >= bytes.count { break }
        }
        return items
    }

    static func jsonItem(_ data: Data, name: String, line: Int) -> Item {
        let result = [UInt8](data).withUnsafeBufferPointer {
            JSONLineReader.article($0, fallbackID: "\((name as NSString).lastPathComponent):\(line)")
        }
        switch result {
        case .success(let article): return .article(article)
        case .failure(.syntax(let message)): return .failure("\(name):\(line): not valid JSON (\(message))")
        }
    }
}
