import CLibXML2

/// An HTML page parsed by libxml2's HTML parser (recovering from any markup, no network, no
/// error output). Owns the libxml2 tree; the tree is never modified after parsing.
final class HTMLDocument {
    private static let options = Int32(HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NONET.rawValue | HTML_PARSE_NOERROR.rawValue
        | HTML_PARSE_NOWARNING.rawValue | HTML_PARSE_COMPACT.rawValue | HTML_PARSE_NOBLANKS.rawValue)
    /// libxml2 wants `xmlInitParser` once, before threads parse concurrently.
    private static let initialized: Bool = {
        xmlInitParser()
        return true
    }()

    let doc: htmlDocPtr

    /// Parses UTF-8 bytes; nil when libxml2 builds no tree at all.
    init?(utf8 bytes: [UInt8]) {
        guard Self.initialized, !bytes.isEmpty, bytes.count < Int(Int32.max) else { return nil }
        dyad_silenceGenericErrors()
        let parsed = bytes.withUnsafeBufferPointer { buf in
            buf.withMemoryRebound(to: CChar.self) { chars in
                htmlReadMemory(chars.baseAddress, Int32(chars.count), nil, "UTF-8", Self.options)
            }
        }
        guard let parsed else { return nil }
        doc = parsed
    }

    deinit { xmlFreeDoc(doc) }

    var root: xmlNodePtr? { xmlDocGetRootElement(doc) }
}
