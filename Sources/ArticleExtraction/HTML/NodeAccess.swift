import CLibXML2

typealias NodePtr = UnsafeMutablePointer<xmlNode>

/// Read-only access to libxml2 nodes without copying: names, attributes, text.
enum NodeAccess {
    static func isElement(_ n: NodePtr) -> Bool { n.pointee.type == XML_ELEMENT_NODE }
    static func isText(_ n: NodePtr) -> Bool { n.pointee.type == XML_TEXT_NODE || n.pointee.type == XML_CDATA_SECTION_NODE }

    /// The value of attribute `name` (lower-case ASCII, as the HTML parser stores names), or nil.
    static func attribute(_ n: NodePtr, _ name: String) -> String? {
        var a = n.pointee.properties
        while let attr = a {
            if let an = attr.pointee.name, equals(an, name) { return value(of: attr) }
            a = attr.pointee.next
        }
        return nil
    }

    /// Calls `body` with every attribute's name and value.
    static func forEachAttribute(_ n: NodePtr, _ body: (UnsafePointer<UInt8>, String) -> Void) {
        var a = n.pointee.properties
        while let attr = a {
            if let an = attr.pointee.name { body(an, value(of: attr) ?? "") }
            a = attr.pointee.next
        }
    }

    static func value(of attr: UnsafeMutablePointer<xmlAttr>) -> String? {
        guard let first = attr.pointee.children else { return "" }
        if first.pointee.next == nil, let c = first.pointee.content { return String(cString: c) }
        guard let joined = xmlNodeListGetString(attr.pointee.doc, first, 1) else { return "" }
        defer { dyad_xmlFree(joined) }
        return String(cString: joined)
    }

    /// Calls `body` with the attribute's value as a NUL-terminated UTF-8 string, without copying
    /// when the value is one text node (the usual case).
    static func withValue<R>(of attr: UnsafeMutablePointer<xmlAttr>, _ body: (UnsafePointer<UInt8>) -> R) -> R {
        if let first = attr.pointee.children, first.pointee.next == nil, let c = first.pointee.content { return body(c) }
        if let first = attr.pointee.children, let joined = xmlNodeListGetString(attr.pointee.doc, first, 1) {
            defer { dyad_xmlFree(joined) }
            return body(joined)
        }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 1) { empty in
            empty[0] = 0
            return body(UnsafePointer(empty.baseAddress!))
        }
    }

    /// Byte-wise comparison of a C string with an ASCII `String`.
    static func equals(_ c: UnsafePointer<UInt8>, _ s: String) -> Bool {
        var i = 0
        for b in s.utf8 {
            if c[i] != b { return false }
            i += 1
        }
        return c[i] == 0
    }

    /// All text below `n` (element or text node), whitespace collapsed, skipping elements that
    /// never hold text (scripts, styles…); at most `limit` bytes.
    static func text(of n: NodePtr, limit: Int = 64 * 1024) -> String {
        var out = TextBuffer()
        if isText(n) {
            if let c = n.pointee.content { out.append(c) }
            return out.string()
        }
        PreOrder.walk(n, maxDepth: 256) { node, depth in
            if isElement(node) { return depth == 0 || !Tag.named(node.pointee.name).isNeverText }
            if isText(node), let c = node.pointee.content { out.append(c) }
            return out.count < limit
        }
        return out.string()
    }
}

/// Iterative pre-order traversal (no recursion: nesting depth is the page author's choice).
enum PreOrder {
    /// Visits `root` and its descendants in document order. `visit` returns false to skip the
    /// node's children. Elements deeper than `maxDepth` below `root` are skipped.
    static func walk(_ root: NodePtr, maxDepth: Int, _ visit: (NodePtr, Int) -> Bool) {
        var node = root
        var depth = 0
        while true {
            let descend = visit(node, depth)
            if descend, depth < maxDepth, let child = node.pointee.children {
                node = child
                depth += 1
                continue
            }
            // Next sibling, else climb until an ancestor has one.
            var current = node
            while true {
                if current == root { return }
                if let next = current.pointee.next {
                    node = next
                    break
                }
                guard let parent = current.pointee.parent, depth > 0 else { return }
                current = parent
                depth -= 1
                if current == root { return }
            }
        }
    }
}
