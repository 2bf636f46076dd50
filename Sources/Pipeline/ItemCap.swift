import DyadCore
import Foundation

/// `max_items`: which entries of an oversized document one poll keeps. The newest by date
/// (published, else updated); entries without a date rank after dated ones, in document order.
/// The kept entries stay in document order, so "first of a repeated id wins" means the same
/// with or without the cap.
enum ItemCap {
    static func newest(_ entries: [FeedEntry], limit: Int) -> [FeedEntry] {
        guard entries.count > limit else { return entries }
        guard limit > 0 else { return [] }
        let ranked = entries.indices.sorted { a, b in
            switch (entries[a].published ?? entries[a].updated, entries[b].published ?? entries[b].updated) {
            case let (x?, y?): return x != y ? x > y : a < b
            case (.some, nil): return true
            case (nil, .some): return false
            case (nil, nil): return a < b
            }
        }
        return ranked.prefix(limit).sorted().map { entries[$0] }
    }
}
