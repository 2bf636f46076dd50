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
    /// `name` as a vocabulary code (`.other` for names the mappers never ask for).
    let nameID: ElementName
    let namespace: String?
    /// `namespace` as a small integer (see `NamespaceID`), for bit-mask namespace sets.
    let nsID: UInt8
    let prefix: String?
    let attributes: [XMLAttribute]
    let base: String?
    let lang: String?
    /// Namespace declarations made on this element (prefix → URI), kept for re-serialising markup.
    let namespaceDeclarations: [(prefix: String?, uri: String)]
    /// All children in document order. A leaf holding only text (most feed elements) keeps it
    /// in `soleText` instead, sparing an array per element.
    var children: [XMLChild] {
        if let soleText { return [.text(soleText)] }
        if mixedChildren.isEmpty { return elements.map { .element($0) } }
        return mixedChildren
    }
    /// Children in order when text and elements mix; empty when the children are elements
    /// alone (feed containers such as `<item>`): `elements` then holds them, without a copy.
    private var mixedChildren: [XMLChild] = []
    private(set) var soleText: String?
    /// The element children alone, and their (name, namespace) keys in a parallel plain array:
    /// lookups scan the keys without touching (retaining) the element objects.
    private(set) var elements: [XMLElement] = []
    private var elementKeys: [UInt16] = []
    /// Bit masks of the names (`ElementName` raw values) and namespaces (`NamespaceID`s) of the
    /// element children: most lookups by the mappers ask for something absent (dc:title,
    /// atom:summary, …), and these answer them without scanning (or retaining) the key array.
    private var childNameMask: UInt64 = 0
    private var childNamespaceMask: UInt64 = 0

    init(name: String, nameID: ElementName, namespace: String?, nsID: UInt8, prefix: String?, attributes: [XMLAttribute],
         base: String?, lang: String?, namespaceDeclarations: [(prefix: String?, uri: String)]) {
        self.name = name; self.nameID = nameID; self.namespace = namespace; self.nsID = nsID
        self.prefix = prefix; self.attributes = attributes
        self.base = base; self.lang = lang; self.namespaceDeclarations = namespaceDeclarations
    }

    /// Sets the children once, when the element ends (the builder collects them in reused
    /// scratch buffers, so each element allocates its arrays exactly once, at their final size).
    func setChildren(_ list: ArraySlice<XMLChild>) {
        if list.count == 1, case .text(let t) = list[list.startIndex] { soleText = t; return }
        var count = 0
        for child in list { if case .element = child { count += 1 } }
        if count < list.count { mixedChildren = Array(list) }
        guard count > 0 else { return }
        elements.reserveCapacity(count)
        elementKeys.reserveCapacity(count)
        for case .element(let e) in list {
            elements.append(e)
            elementKeys.append(Self.key(e.nameID, e.nsID))
            childNameMask |= Self.bit(e.nameID.rawValue)
            childNamespaceMask |= Self.bit(e.nsID)
        }
    }

    /// Sets the children of a leaf whose only child is one run of text (same as `setChildren`
    /// with that one text child).
    func setSoleText(_ text: String) { soleText = text }

    /// Set when the document ended (or parsing stopped) before this element's end tag: what it
    /// holds may be cut anywhere, so the mappers do not turn it into an entry.
    private(set) var unfinished = false
    func markUnfinished() { unfinished = true }

    private static func key(_ name: ElementName, _ ns: UInt8) -> UInt16 { UInt16(name.rawValue) << 8 | UInt16(ns) }

    /// The mask bit for a small code; codes past 63 share the top bit (a mask then only says "maybe").
    @inline(__always)
    private static func bit(_ code: UInt8) -> UInt64 { 1 << UInt64(min(code, 63)) }

    /// Index in `elements` of the first child named `name` in `namespaces` at or after `start`.
    func indexOfChild(_ name: ElementName, in namespaces: NamespaceSet, from start: Int = 0) -> Int? {
        if childNameMask & Self.bit(name.rawValue) == 0 || !namespaces.intersects(childNamespaceMask) { return nil }
        return elementKeys.withUnsafeBufferPointer { keys in
            var i = start
            while i < keys.count {
                let k = keys[i]
                if UInt8(k >> 8) == name.rawValue && namespaces.contains(UInt8(k & 0xFF)) { return i }
                i += 1
            }
            return nil
        }
    }

    /// Concatenated character data of this element's direct children (not of grandchildren).
    var directText: String {
        if let soleText { return soleText }
        var out = ""
        for case .text(let t) in mixedChildren { out += t } // element-only children: no text
        return out
    }

    /// All character data below this element, in document order.
    var allText: String {
        if let soleText { return soleText }
        if mixedChildren.isEmpty && elements.isEmpty { return "" }
        var out = ""
        appendAllText(to: &out)
        return out
    }

    private func appendAllText(to out: inout String) {
        if let soleText { out += soleText; return }
        if mixedChildren.isEmpty {
            for e in elements { e.appendAllText(to: &out) }
            return
        }
        for child in mixedChildren {
            switch child {
            case .text(let t): out += t
            case .element(let e): e.appendAllText(to: &out)
            }
        }
    }

    /// True when any child is an element (markup written inline rather than escaped).
    var hasElementChildren: Bool { !elements.isEmpty }

    /// The value of the attribute with this local name (any namespace when `namespace` is nil
    /// and the attribute is unprefixed).
    func attribute(_ name: String, namespace: String? = nil) -> String? {
        for a in attributes where a.name == name && a.namespace == namespace { return a.value }
        return nil
    }
}
