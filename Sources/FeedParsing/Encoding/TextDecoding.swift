/// A document converted to UTF-8: the bytes, the charset they were read as (lower case) and what
/// went wrong on the way (a declaration that did not fit the bytes, undecodable bytes…).
public struct DecodedText: Sendable {
    public var utf8: [UInt8]
    public var encoding: String
    public var problems: [String]
}

/// The one place charset rules live, for feeds and for web pages alike: byte-order mark, else the
/// HTTP charset, else what the document declares, else sniffing; conversion with glibc iconv,
/// labels widened to the supersets real documents use. See `CharsetDetector`.
public enum TextDecoding {
    /// An XML document (feeds): the declaration is `<?xml … encoding="…"?>`.
    public static func decodeXML(_ bytes: [UInt8], httpCharset: String?) -> DecodedText {
        wrap(CharsetDetector.decode(bytes, httpCharset: httpCharset))
    }

    /// An HTML page: the declaration is `<meta charset>` / `http-equiv` Content-Type (or the XML
    /// declaration of an XHTML page), found by a prescan of the page's first bytes.
    public static func decodeHTML(_ bytes: [UInt8], httpCharset: String?) -> DecodedText {
        wrap(CharsetDetector.decode(bytes, httpCharset: httpCharset, declared: HTMLMetaCharset.declared(in: bytes),
                                    declarationSource: "meta charset"))
    }

    /// The byte-order mark at the start of `bytes`, if any, as (charset, length).
    public static func byteOrderMark(_ bytes: [UInt8]) -> (charset: String, length: Int)? {
        CharsetDetector.byteOrderMark(bytes).map { (charset: $0.0, length: $0.1) }
    }

    private static func wrap(_ d: DecodedDocument) -> DecodedText {
        DecodedText(utf8: d.utf8, encoding: d.encoding, problems: d.problems)
    }
}
