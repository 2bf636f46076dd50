import CLibXML2

/// What the extractor knows about one element before any scoring: its place in the tree, its
/// tag, what its attributes say, and the size of its own text.
struct ElementInfo {
    let node: NodePtr
    /// Index of the parent element, -1 for the root.
    let parent: Int32
    let tag: Tag
    /// Class and id hints, +25/−25 each (see `ClassHints`).
    var weight: Int16 = 0
    /// Class/id says page furniture (comments, share bars, cookie banners…).
    var unlikely = false
    /// Not shown: `hidden`, `aria-hidden=true`, `display:none`, `visibility:hidden` (often a
    /// second, machine-readable copy of the article's metadata or text).
    var hidden = false
    /// A landmark role that is never body text (navigation, banner, contentinfo, complementary,
    /// dialog, search, menu…).
    var furniture = false
    /// `<article>`, `<main>`, `itemprop=articleBody`, `role=main`, schema.org article types.
    var articleMarker = false
    /// `itemprop=articleBody` (or `articlebody` in class/id): the page's own statement.
    var articleBody = false
    /// Most of the element's text is one `<blockquote>` (an embedded post or quotation).
    var embeddedQuote = false
    /// Characters and commas in the element's own text nodes (not in child elements).
    var ownChars: Int32 = 0
    var ownCommas: Int32 = 0
}

/// All elements of a parsed page in document order (pre-order, so a parent's index is below its
/// children's). Each element's index is kept in its libxml2 node's `_private` field.
final class ElementIndex {
    private(set) var elements: [ElementInfo] = []
    /// Elements the metadata reader looks at, by tag.
    private(set) var metaTags: [Int] = []
    private(set) var linkTags: [Int] = []
    private(set) var scriptTags: [Int] = []
    private(set) var titleTags: [Int] = []
    private(set) var timeTags: [Int] = []
    private(set) var headings1: [Int] = []
    private(set) var itempropTags: [(index: Int, prop: String)] = []
    private(set) var authorLinks: [Int] = []
    /// True when elements below `maxDepth` were left out.
    private(set) var truncatedDepth = false

    init(root: NodePtr, maxDepth: Int) {
        elements.reserveCapacity(4096)
        var parents: [Int32] = []  // stack of open element indices by depth
        PreOrder.walk(root, maxDepth: maxDepth) { node, depth in
            guard NodeAccess.isElement(node) else { return false }
            if depth >= maxDepth { truncatedDepth = true }
            if parents.count > depth { parents.removeSubrange(depth...) }
            let parent = parents.last ?? -1
            let index = elements.count
            let tag = Tag.named(node.pointee.name)
            var info = ElementInfo(node: node, parent: parent, tag: tag)
            readAttributes(node, into: &info, index: index)
            // Scripts and styles are never measured: their text is half of a typical page's bytes.
            var child = tag.isNeverText ? nil : node.pointee.children
            while let c = child {
                if NodeAccess.isText(c), let content = c.pointee.content {
                    let m = TextMeasure.measure(content)
                    info.ownChars += m.chars
                    info.ownCommas += m.commas
                }
                child = c.pointee.next
            }
            node.pointee._private = UnsafeMutableRawPointer(bitPattern: index + 1)
            elements.append(info)
            parents.append(Int32(index))
            switch tag {
            case .meta: metaTags.append(index)
            case .link: linkTags.append(index)
            case .script: scriptTags.append(index)
            case .title: titleTags.append(index)
            case .time: timeTags.append(index)
            case .h1: headings1.append(index)
            case .article, .main: elements[index].articleMarker = true
            default: break
            }
            return true
        }
        markEmbeddedQuotes()
    }

    /// Marks elements whose text is mostly one quotation (`<blockquote>`): an embedded post or
    /// quote is article text even inside a container whose class says "social" or "embed".
    private func markEmbeddedQuotes() {
        var chars = [Int32](repeating: 0, count: elements.count)
        var quoted = [Int32](repeating: 0, count: elements.count)
        for i in stride(from: elements.count - 1, through: 0, by: -1) {
            let e = elements[i]
            if e.tag.isNeverText { continue }
            chars[i] += e.ownChars
            if e.tag == .blockquote { quoted[i] = chars[i] }
            if chars[i] >= Self.minQuoteChars && quoted[i] * 10 >= chars[i] * 6 { elements[i].embeddedQuote = true }
            if e.parent >= 0 {
                chars[Int(e.parent)] += chars[i]
                quoted[Int(e.parent)] += quoted[i]
            }
        }
    }

    /// A quotation shorter than this is not protected.
    private static let minQuoteChars: Int32 = 50

    /// The index of an element node seen while building, or nil.
    func index(of node: NodePtr) -> Int? {
        guard NodeAccess.isElement(node), let p = node.pointee._private else { return nil }
        let i = Int(bitPattern: p) - 1
        return i >= 0 && i < elements.count && elements[i].node == node ? i : nil
    }

    private func readAttributes(_ node: NodePtr, into info: inout ElementInfo, index: Int) {
        var a = node.pointee.properties
        while let attr = a {
            defer { a = attr.pointee.next }
            guard let name = attr.pointee.name else { continue }
            switch name[0] {
            case UInt8(ascii: "c") where NodeAccess.equals(name, "class"), UInt8(ascii: "i") where NodeAccess.equals(name, "id"):
                let r = NodeAccess.withValue(of: attr) { hint($0) }
                info.weight += Int16(r.weight)
                info.unlikely = info.unlikely || r.unlikely
                if r.articleBody { info.articleBody = true; info.articleMarker = true }
            case UInt8(ascii: "i") where NodeAccess.equals(name, "itemprop"):
                guard let v = NodeAccess.value(of: attr)?.lowercased() else { continue }
                if v.contains("articlebody") { info.articleBody = true; info.articleMarker = true }
                itempropTags.append((index, v))
            case UInt8(ascii: "i") where NodeAccess.equals(name, "itemtype"):
                if let v = NodeAccess.value(of: attr), v.hasSuffix("Article") || v.hasSuffix("BlogPosting") || v.hasSuffix("NewsArticle") {
                    info.articleMarker = true
                }
            case UInt8(ascii: "h") where NodeAccess.equals(name, "hidden"):
                info.hidden = true
            case UInt8(ascii: "a") where NodeAccess.equals(name, "aria-hidden"):
                if NodeAccess.value(of: attr)?.lowercased() == "true" { info.hidden = true }
            case UInt8(ascii: "s") where NodeAccess.equals(name, "style"):
                if let v = NodeAccess.value(of: attr), Self.hidesElement(v) { info.hidden = true }
            case UInt8(ascii: "r") where NodeAccess.equals(name, "role"):
                guard let v = NodeAccess.value(of: attr)?.lowercased() else { continue }
                if Self.furnitureRoles.contains(v) { info.furniture = true }
                if v == "main" || v == "article" { info.articleMarker = true }
            case UInt8(ascii: "r") where NodeAccess.equals(name, "rel"):
                if NodeAccess.value(of: attr)?.lowercased().split(separator: " ").contains("author") == true { authorLinks.append(index) }
            default: break
            }
        }
    }

    /// Class and id values repeat across a page: each distinct value is read once, found again by
    /// a 64-bit FNV-1a hash of its bytes and its length.
    private var hintCache: [UInt64: ClassHints.Reading] = [:]

    private func hint(_ value: UnsafePointer<UInt8>) -> ClassHints.Reading {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        var n = 0
        while value[n] != 0 {
            h = (h ^ UInt64(value[n])) &* 0x0000_0100_0000_01B3
            n += 1
        }
        h ^= UInt64(n) << 56
        if let cached = hintCache[h] { return cached }
        let r = ClassHints.read(value)
        hintCache[h] = r
        return r
    }

    /// ARIA landmark and widget roles that never hold an article's body text.
    private static let furnitureRoles: Set<String> = [
        "navigation", "banner", "contentinfo", "complementary", "dialog", "alertdialog", "search", "menu", "menubar",
        "toolbar", "tablist", "alert", "status", "marquee", "timer", "tooltip",
    ]

    /// `display:none` / `visibility:hidden` in an inline style.
    static func hidesElement(_ style: String) -> Bool {
        hiddenStyles.match(style)
    }
    private static let hiddenStyles = StyleMatcher()
}

/// Finds `display:none` / `visibility:hidden` in an inline style, ignoring case and spaces.
struct StyleMatcher: Sendable {
    private static let patterns = [Array("display:none".utf8), Array("visibility:hidden".utf8)]

    func match(_ style: String) -> Bool {
        var compact: [UInt8] = []
        compact.reserveCapacity(style.utf8.count)
        for b in style.utf8 where b != 0x20 && b != 0x09 && b != 0x0A && b != 0x0D {
            compact.append(b >= 0x41 && b <= 0x5A ? b | 0x20 : b)
        }
        for p in Self.patterns where p.count <= compact.count {
            for i in 0...(compact.count - p.count) where compact[i] == p[0] {
                if compact[i..<(i + p.count)].elementsEqual(p) { return true }
            }
        }
        return false
    }
}
