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
    /// Per hit: the next listed hit of the same entity (-1: none).
    private var next: [Int32] = []
    /// Per entity of the data: its group, or -1 (all -1 between builds).
    private var slot: [Int32] = []

    /// Groups `hits` (ordered by position) by entity.
    mutating func build(_ hits: [EntityHit], entityCount: Int) {
        groups.removeAll(keepingCapacity: true)
        next.removeAll(keepingCapacity: true)
        if slot.count != entityCount { slot = [Int32](repeating: -1, count: entityCount) }
        for (i, h) in hits.enumerated() {
            next.append(-1)
            let k = Int(slot[h.entity])
            if k < 0 {
                slot[h.entity] = Int32(groups.count)
                groups.append(Group(entity: h.entity, first: Int32(i), last: Int32(i), count: 1))
            } else if groups[k].count < Limits.maxMentionsPerEntity {
                next[Int(groups[k].last)] = Int32(i)
                groups[k].last = Int32(i)
                groups[k].count += 1
            }
        }
        for g in groups { slot[g.entity] = -1 }
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
