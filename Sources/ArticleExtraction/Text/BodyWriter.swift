/// Writes the chosen content as plain paragraphs: a paragraph ends wherever the text's nearest
/// block-level ancestor changes or at a `<br>`; furniture and clutter are skipped.
struct BodyWriter {
    let pass: ContentPass
    let maxDepth: Int
    /// A paragraph or list item mostly made of link text is a link list, not prose.
    private static let maxBlockLinkDensity: Float = 0.66

    func paragraphs(of roots: [Int]) -> [String] {
        var out: [String] = []
        var buffer = TextBuffer()
        var currentBlock = -2
        let index = pass.index
        func flush() {
            let p = buffer.take()
            if !p.isEmpty && !BoilerplateLabels.isLabel(p) { out.append(p) }
        }
        for root in roots {
            flush()
            currentBlock = -2
            PreOrder.walk(index.elements[root].node, maxDepth: maxDepth) { node, _ in
                if NodeAccess.isText(node) {
                    guard let content = node.pointee.content else { return false }
                    let block = nearestBlock(node)
                    if block != currentBlock {
                        flush()
                        currentBlock = block
                    }
                    buffer.append(content)
                    return false
                }
                guard let i = index.index(of: node) else { return false }
                if pass.removed[i] { return false }
                let e = index.elements[i]
                switch e.tag {
                case .br, .hr:
                    flush()
                    return false
                case .img:
                    buffer.appendSpace()
                    return false
                case .h1:
                    return false  // the headline is the title, not body text
                default: break
                }
                if i != root {
                    if pass.flags.contains(.cleanConditionally) && pass.isClutter(i) { return false }
                    switch e.tag {
                    case .p, .li, .dt, .dd, .td, .h2, .h3, .h4, .h5, .h6:
                        let st = pass.stats[i]
                        if st.chars > 0 && st.linkDensity > Self.maxBlockLinkDensity { return false }
                    default: break
                    }
                }
                return true
            }
        }
        flush()
        return out
    }

    /// The index of the closest block-level element holding `node`, -1 if none is indexed.
    private func nearestBlock(_ node: NodePtr) -> Int {
        var p = node.pointee.parent
        while let n = p {
            guard let i = pass.index.index(of: n) else { return -1 }
            if pass.index.elements[i].tag.isBlock { return i }
            p = n.pointee.parent
        }
        return -1
    }
}
