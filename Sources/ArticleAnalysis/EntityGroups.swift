/// A scan's entities in order of first mention, each with its mentions (at most
/// `Limits.maxMentionsPerEntity`), as linked lists over the hit array: what the results list, built
/// in buffers a scan reuses — no array per entity, no table per article.
struct EntityGroups {
    struct Group {
        var entity: Int
        /// First and last listed hit (indices into the scan's `entityHits`).
        var first: Int32
        var last: Int32
        var count: Int
    }

    private(set) var groups: [Group] = []
    /// Per hit: the next listed hit of the same entity (-1: none); may be longer than the hits.
    private var next: [Int32] = []
    /// Per entity of the data: its group, or -1 (all -1 between builds).
    private var slot: [Int32] = []

    /// Groups `hits` (ordered by position) by entity.
    mutating func build(_ hits: [EntityHit], entityCount: Int) {
        if slot.count != entityCount { slot = [Int32](repeating: -1, count: entityCount) }
        guard !hits.isEmpty else {
            if !groups.isEmpty { groups.removeAll(keepingCapacity: true) }
            return
        }
        // `next` only grows (entries past this article's hits are never reached); its entries
        // and the slots are written through buffer pointers. The previous article's groups are
        // overwritten in place and the surplus cut at the end (no emptying and refilling).
        if next.count < hits.count { next.append(contentsOf: repeatElement(-1, count: hits.count - next.count)) }
        var groups = ArticleScan.take(&self.groups)
        var used = 0
        defer {
            groups.truncate(to: used)
            self.groups = groups
        }
        hits.withUnsafeBufferPointer { hits in
        slot.withUnsafeMutableBufferPointer { slot in
        next.withUnsafeMutableBufferPointer { next in
            for i in hits.indices {
                next[i] = -1
                let e = hits[i].entity
                let k = Int(slot[e])
                if k < 0 {
                    slot[e] = Int32(used)
                    let group = Group(entity: e, first: Int32(i), last: Int32(i), count: 1)
                    groups.put(group, at: used)
                    used += 1
                } else if groups[k].count < Limits.maxMentionsPerEntity {
                    next[Int(groups[k].last)] = Int32(i)
                    groups[k].last = Int32(i)
                    groups[k].count += 1
                }
            }
            for g in 0..<used { slot[groups[g].entity] = -1 }
        }}}
    }

    /// Calls `body` with the index of each listed hit of `group`, in text order.
    func forEachMention(of group: Group, _ body: (Int) -> Void) {
        var i = Int(group.first)
        while i >= 0 {
            body(i)
            i = Int(next[i])
        }
    }
}
