/// Writes the chosen content as plain paragraphs: a paragraph ends wherever the text's nearest
/// block-level ancestor changes or at a `<br>`; furniture and clutter are skipped.
struct BodyWriter {
    let pass: ContentPass
    let maxDepth: Int
    /// A paragraph or list item mostly made of link text, with little other text, is a link
    /// list, not prose (a sentence with a link-laden hover card in it stays).
    private static let maxBlockLinkDensity: Float = 0.66
    private static let proseChars: Int32 = 80
    private static let inlineLinkBoxDensity: Float = 0.8

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
                case .time where i != root && isAlone(i):
                    return false  // a dateline: a date standing on its own, not a date inside a sentence
                default: break
                }
                if i != root {
                    if pass.flags.contains(.cleanConditionally) && pass.isClutter(i) { return false }
                    switch e.tag {
                    case .p, .li, .dt, .dd, .td, .h2, .h3, .h4, .h5, .h6:
                        let st = pass.stats[i]
                        if st.chars > 0 && st.linkDensity > Self.maxBlockLinkDensity && st.chars - st.linkChars < Self.proseChars { return false }
                    case _ where !e.tag.isBlock && e.tag != .a:
                        // An inline box of several links inside a sentence: a hover card or link strip.
                        let st = pass.stats[i]
                        if st.links >= 3 && st.linkDensity > Self.inlineLinkBoxDensity { return false }
                    default: break
                    }
                }
                return true
            }
        }
        flush()
        return out
    }

    /// True when element `i` is all the loose text of its parent (nothing else on its line).
    private func isAlone(_ i: Int) -> Bool {
        let parent = Int(pass.index.elements[i].parent)
        guard parent >= 0 else { return false }
        return pass.stats[parent].inlineChars - pass.stats[i].chars < 10
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
