import Foundation

/// One attribute of an element: local name, namespace URI (nil when unprefixed) and decoded value.
struct XMLAttribute: Sendable {
    let name: String
    let namespace: String?
    let prefix: String?
    let value: String
}

/// A child of an element: a nested element or a run of character data (CDATA included).
enum XMLChild {
    case element(XMLElement)
    case text(String)
}

/// A small immutable-after-build element tree built from libxml2 SAX2 events. Feeds are small,
/// and a tree makes the format mappers simple; `base` and `lang` are the in-scope xml:base
/// (already resolved to an absolute URL when possible) and xml:lang.
final class XMLElement {
    let name: String
    let namespace: String?
    let prefix: String?
    let attributes: [XMLAttribute]
    let base: String?
    let lang: String?
    /// Namespace declarations made on this element (prefix → URI), kept for re-serialising markup.
    let namespaceDeclarations: [(prefix: String?, uri: String)]
    var children: [XMLChild] = []

    init(name: String, namespace: String?, prefix: String?, attributes: [XMLAttribute], base: String?,
         lang: String?, namespaceDeclarations: [(prefix: String?, uri: String)]) {
        self.name = name; self.namespace = namespace; self.prefix = prefix; self.attributes = attributes
        self.base = base; self.lang = lang; self.namespaceDeclarations = namespaceDeclarations
    }

    /// The element's child elements, in document order.
    var elements: [XMLElement] {
        children.compactMap { if case .element(let e) = $0 { return e } else { return nil } }
    }

    /// Concatenated character data of this element's direct children (not of grandchildren).
    var directText: String {
        var out = ""
        for case .text(let t) in children { out += t }
        return out
    }

    /// All character data below this element, in document order.
    var allText: String {
        var out = ""
        appendAllText(to: &out)
        return out
    }

    private func appendAllText(to out: inout String) {
        for child in children {
            switch child {
            case .text(let t): out += t
            case .element(let e): e.appendAllText(to: &out)
            }
        }
    }

    /// True when any child is an element (markup written inline rather than escaped).
    var hasElementChildren: Bool {
        children.contains { if case .element = $0 { return true } else { return false } }
    }

    /// The value of the attribute with this local name (any namespace when `namespace` is nil
    /// and the attribute is unprefixed).
    func attribute(_ name: String, namespace: String? = nil) -> String? {
        for a in attributes where a.name == name && a.namespace == namespace { return a.value }
        return nil
    }
}
