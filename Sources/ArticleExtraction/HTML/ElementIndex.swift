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
    /// Hidden (`hidden`, `aria-hidden`, `display:none`) or a landmark role that is never body
    /// text (navigation, banner, contentinfo, complementary, dialog, search, menu…).
    var furniture = false
    /// `<article>`, `<main>`, `itemprop=articleBody`, `role=main`, schema.org article types.
    var articleMarker = false
    /// `itemprop=articleBody` (or `articlebody` in class/id): the page's own statement.
    var articleBody = false
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

    private var hintCache: [String: ClassHints.Reading] = [:]

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
            var child = node.pointee.children
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
    }

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
                guard let v = NodeAccess.value(of: attr) else { continue }
                let r = hint(v)
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
                info.furniture = true
            case UInt8(ascii: "a") where NodeAccess.equals(name, "aria-hidden"):
                if NodeAccess.value(of: attr)?.lowercased() == "true" { info.furniture = true }
            case UInt8(ascii: "s") where NodeAccess.equals(name, "style"):
                if let v = NodeAccess.value(of: attr), Self.hidesElement(v) { info.furniture = true }
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

    private func hint(_ value: String) -> (weight: Int, unlikely: Bool, articleBody: Bool) {
        let r: ClassHints.Reading
        if let cached = hintCache[value] { r = cached } else {
            r = ClassHints.read(value)
            if hintCache.count < 4096 { hintCache[value] = r }
        }
        return (r.weight, r.unlikely, r.articleBody)
    }

    /// ARIA landmark and widget roles that never hold an article's body text.
    private static let furnitureRoles: Set<String> = [
        "navigation", "banner", "contentinfo", "complementary", "dialog", "alertdialog", "search", "menu", "menubar",
        "toolbar", "tablist", "alert", "status", "marquee", "timer", "tooltip",
    ]

    /// `display:none` / `visibility:hidden` in an inline style.
    static func hidesElement(_ style: String) -> Bool {
        let compact = style.lowercased().filter { $0 != " " && $0 != "\t" }
        return compact.contains("display:none") || compact.contains("visibility:hidden")
    }
}
