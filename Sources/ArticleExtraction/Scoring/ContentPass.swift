/// One scoring pass over a page (readability's method): mark page furniture as removed, sum text
/// sizes bottom-up, score each paragraph's ancestors, pick the best container and the siblings
/// that belong with it.
final class ContentPass {
    let index: ElementIndex
    let flags: PassFlags
    private(set) var removed: [Bool]
    private(set) var stats: [BlockStats]
    private var score: [Float]
    private var scored: [Bool]

    /// A paragraph shorter than this adds nothing to its ancestors' scores.
    private static let minParagraphChars: Int32 = 25
    /// Ancestors of a paragraph that share its score.
    private static let ancestorLevels = 5

    init(index: ElementIndex, flags: PassFlags) {
        self.index = index
        self.flags = flags
        let n = index.elements.count
        removed = [Bool](repeating: false, count: n)
        stats = [BlockStats](repeating: BlockStats(), count: n)
        score = [Float](repeating: 0, count: n)
        scored = [Bool](repeating: false, count: n)
        markRemoved()
        sumStats()
        scoreParagraphs()
    }

    // MARK: removal

    private func markRemoved() {
        let els = index.elements
        // An element holding the article marker is never removed for its class/id.
        var holdsMarker = els.map { $0.articleMarker && !$0.hidden }
        for i in stride(from: els.count - 1, through: 0, by: -1) where holdsMarker[i] && els[i].parent >= 0 {
            holdsMarker[Int(els[i].parent)] = true
        }
        for i in 0..<els.count {
            let e = els[i]
            if e.parent >= 0 && removed[Int(e.parent)] { removed[i] = true; continue }
            if e.tag.isNeverText || e.hidden { removed[i] = true; continue }
            if (e.furniture || e.tag.isFurniture) && !holdsMarker[i] { removed[i] = true; continue }
            if flags.contains(.stripUnlikely) && e.unlikely && !holdsMarker[i] && !e.embeddedQuote
                && e.tag != .body && e.tag != .html && e.tag != .article && e.tag != .main && e.tag != .a {
                removed[i] = true
            }
        }
    }

    // MARK: sizes

    private func sumStats() {
        let els = index.elements
        for i in stride(from: els.count - 1, through: 0, by: -1) {
            let e = els[i]
            let p = Int(e.parent)
            if removed[i] {
                // Removed media and controls still count for their container's shape.
                if p >= 0 && !removed[p] {
                    switch e.tag {
                    case .img, .picture, .svg: stats[p].images += 1
                    case .input, .select, .textarea, .button: stats[p].inputs += 1
                    case .iframe, .object, .embed, .video, .audio: stats[p].embeds += 1
                    default: break
                    }
                }
                continue
            }
            stats[i].chars += e.ownChars
            stats[i].commas += e.ownCommas
            stats[i].inlineChars += e.ownChars
            stats[i].inlineCommas += e.ownCommas
            if e.tag == .a { stats[i].linkChars = stats[i].chars }
            guard p >= 0 else { continue }
            let s = stats[i]
            stats[p].chars += s.chars
            stats[p].linkChars += s.linkChars
            stats[p].commas += s.commas
            stats[p].paragraphs += s.paragraphs + (e.tag == .p ? 1 : 0)
            stats[p].listItems += s.listItems + (e.tag == .li ? 1 : 0)
            stats[p].links += s.links + (e.tag == .a ? 1 : 0)
            stats[p].images += s.images
            stats[p].inputs += s.inputs
            stats[p].embeds += s.embeds
            if e.tag.isBlock {
                stats[p].hasBlockChild = true
            } else {
                stats[p].inlineChars += s.chars
                stats[p].inlineCommas += s.commas
            }
        }
    }

    // MARK: scoring

    private func baseScore(_ i: Int) -> Float {
        let e = index.elements[i]
        var s: Float
        switch e.tag {
        case .div, .article, .main, .section: s = 5
        case .pre, .td, .blockquote: s = 3
        case .address, .ol, .ul, .dl, .dd, .dt, .li, .form: s = -3
        case .h1, .h2, .h3, .h4, .h5, .h6, .th: s = -5
        default: s = 0
        }
        if flags.contains(.weightClasses) { s += Float(e.weight) }
        if e.articleBody { s += 25 }
        return s
    }

    private func scoreParagraphs() {
        let els = index.elements
        for i in 0..<els.count where !removed[i] {
            let e = els[i]
            let st = stats[i]
            var chars: Int32, commas: Int32, firstLevel: Int
            switch e.tag {
            case .p, .pre, .td, .blockquote, .div, .section, .article, .main, .dd, .center, .font, .span:
                if !st.hasBlockChild && e.tag != .span && e.tag != .font {
                    (chars, commas, firstLevel) = (st.chars, st.commas, 0)  // the whole element is a paragraph
                } else if st.hasBlockChild {
                    (chars, commas, firstLevel) = (st.inlineChars, st.inlineCommas, -1)  // loose text beside blocks
                } else { continue }
            default:
                continue
            }
            guard chars >= Self.minParagraphChars else { continue }
            let content: Float = 1 + Float(commas) + Float(min(chars / 100, 3))
            // Level 0 is the paragraph's container: the parent, or the element itself for loose text.
            var ancestor = firstLevel == 0 ? Int(e.parent) : i
            var level = 0
            while ancestor >= 0 && level < Self.ancestorLevels {
                if !scored[ancestor] {
                    score[ancestor] = baseScore(ancestor)
                    scored[ancestor] = true
                }
                let divider: Float = level == 0 ? 1 : level == 1 ? 2 : Float(level * 3)
                score[ancestor] += content / divider
                ancestor = Int(els[ancestor].parent)
                level += 1
            }
        }
        for i in 0..<els.count where scored[i] {
            score[i] *= 1 - stats[i].linkDensity
        }
    }

    // MARK: selection

    /// The chosen content: the top candidate and its qualifying siblings, in document order.
    func selectContent() -> [Int] {
        let els = index.elements
        var candidates: [(Int, Float)] = []
        for i in 0..<els.count where scored[i] && !removed[i] && els[i].tag != .html {
            candidates.append((i, score[i]))
        }
        candidates.sort { $0.1 > $1.1 }
        guard var top = candidates.first?.0 else {
            return bodyIndex().map { [$0] } ?? []
        }
        let topScore = score[top]
        // Several strong candidates under one ancestor: the content is that ancestor.
        let alternatives = candidates.dropFirst().prefix(5).filter { $0.1 >= topScore * 0.75 }.map(\.0)
        if alternatives.count >= 3 {
            var ancestor = Int(els[top].parent)
            while ancestor >= 0 && els[ancestor].tag != .body {
                let holding = alternatives.filter { isAncestor(ancestor, of: $0) }.count
                if holding >= 3 { top = ancestor; break }
                ancestor = Int(els[ancestor].parent)
            }
        }
        if !scored[top] { score[top] = baseScore(top); scored[top] = true }
        // Climb while the parent scores better (the content is split over the parent's children).
        var lastScore = score[top]
        var parent = Int(els[top].parent)
        let floor = lastScore / 3
        while parent >= 0 && els[parent].tag != .body && els[parent].tag != .html {
            if !scored[parent] { parent = Int(els[parent].parent); continue }
            let ps = score[parent]
            if ps < floor { break }
            if ps > lastScore { top = parent; break }
            lastScore = ps
            parent = Int(els[parent].parent)
        }
        // An only child says nothing its parent does not.
        while true {
            let p = Int(els[top].parent)
            guard p >= 0, els[p].tag != .body, els[p].tag != .html, elementChildren(p).count == 1 else { break }
            top = p
        }
        return withSiblings(top)
    }

    private func withSiblings(_ top: Int) -> [Int] {
        let els = index.elements
        let parent = Int(els[top].parent)
        guard parent >= 0, els[top].tag != .body else { return [top] }
        let topScore = scored[top] ? score[top] : 0
        let threshold = max(10, topScore * 0.2)
        let topClass = NodeAccess.attribute(els[top].node, "class") ?? ""
        var chosen: [Int] = []
        for s in elementChildren(parent) where !removed[s] {
            if s == top { chosen.append(s); continue }
            var bonus: Float = 0
            if !topClass.isEmpty, NodeAccess.attribute(els[s].node, "class") == topClass { bonus = topScore * 0.2 }
            if scored[s] && score[s] + bonus >= threshold { chosen.append(s); continue }
            if els[s].tag == .p || (!stats[s].hasBlockChild && els[s].tag == .div) {
                let st = stats[s]
                let ld = st.linkDensity
                if st.chars > 80 && ld < 0.25 { chosen.append(s) }
                else if st.chars > 0 && st.chars <= 80 && ld == 0 && endsSentence(s) { chosen.append(s) }
            }
        }
        return chosen
    }

    private func endsSentence(_ i: Int) -> Bool {
        let t = NodeAccess.text(of: index.elements[i].node, limit: 200)
        return t.hasSuffix(".") || t.contains(". ")
    }

    func elementChildren(_ i: Int) -> [Int] {
        var out: [Int] = []
        var c = index.elements[i].node.pointee.children
        while let n = c {
            if let ci = index.index(of: n) { out.append(ci) }
            c = n.pointee.next
        }
        return out
    }

    func isAncestor(_ a: Int, of d: Int) -> Bool {
        var p = Int(index.elements[d].parent)
        while p >= 0 {
            if p == a { return true }
            p = Int(index.elements[p].parent)
        }
        return false
    }

    private func bodyIndex() -> Int? {
        index.elements.firstIndex { $0.tag == .body }
    }

    // MARK: cleaning inside the content

    /// True when a block inside the chosen content is link lists, a form, an image strip or a
    /// scrap too small to be text (readability's conditional cleaning).
    func isClutter(_ i: Int) -> Bool {
        let e = index.elements[i]
        switch e.tag {
        case .div, .section, .ul, .ol, .table, .form, .fieldset, .dl, .figure, .center: break
        default: return false
        }
        let st = stats[i]
        if e.embeddedQuote { return false }
        let weight = Int(flags.contains(.weightClasses) ? e.weight : 0) + (e.articleBody ? 25 : 0)
        if weight < 0 { return true }
        if st.commas >= 10 { return false }
        let isList = e.tag == .ul || e.tag == .ol
        let p = st.paragraphs
        let li = st.listItems - 100
        let ld = st.linkDensity
        if st.images > 1 && Float(p) / Float(st.images) < 0.5 { return true }
        if !isList && li > p { return true }
        if st.inputs > p / 3 { return true }
        if !isList && st.chars < Self.minParagraphChars && (st.images == 0 || st.images > 2) { return true }
        if !isList && weight < 25 && ld > 0.2 { return true }
        if weight >= 25 && ld > 0.5 { return true }
        if isList && ld > 0.5 { return true }
        if (st.embeds == 1 && st.chars < 75) || st.embeds > 1 { return true }
        return false
    }
}
