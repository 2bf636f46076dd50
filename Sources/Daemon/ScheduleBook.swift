import FeedFetching
import Foundation

/// The scheduler's bookkeeping, free of Dispatch and of the clock: each feed's next due time,
/// which feeds are in flight, and the global and per-host limits. Owned by the scheduler's serial
/// queue; not thread-safe on its own.
struct ScheduleBook {
    struct Slot {
        var feed: DaemonFeed
        var due: Date
        var inFlight = false
        /// Set when the feed was removed or changed while a poll was in flight: its outcome is
        /// then not used to reschedule the old definition.
        var generation = 0
        /// The `HostSlots` key and token of the poll in flight (the key as it was at launch).
        var slotKey = ""
        var slotToken = 0
    }

    private(set) var slots: [String: Slot] = [:]
    /// The per-host limit (the fetcher's rule: a slow poll stops holding its slot after a while).
    private var hostSlots: HostSlots
    private(set) var inFlightCount = 0
    var concurrency: Int
    var perHostConcurrency: Int { get { hostSlots.perHost } set { hostSlots.perHost = max(1, newValue) } }
    /// Largest gap kept between due times of feeds on one host (shrunk when a host has many feeds).
    let hostSpacing: TimeInterval

    init(concurrency: Int, perHostConcurrency: Int, hostSpacing: TimeInterval, slowAfter: TimeInterval = HostSlots.defaultSlowAfter) {
        self.concurrency = max(1, concurrency)
        hostSlots = HostSlots(perHost: perHostConcurrency, slowAfter: slowAfter)
        self.hostSpacing = hostSpacing
    }

    var feedIDs: [String] { Array(slots.keys) }
    func slot(_ id: String) -> Slot? { slots[id] }

    /// Adds or replaces a feed's definition, due at `due` (moved so feeds of one host are spread).
    mutating func upsert(_ feed: DaemonFeed, due: Date) {
        var slot = slots[feed.id] ?? Slot(feed: feed, due: due)
        if slot.feed != feed { slot.generation += 1 }
        slot.feed = feed
        slots[feed.id] = slot
        place(feed.id, at: due)
    }

    /// Adds many feeds at once (startup): all are known before any is placed, so the host gap
    /// is computed from the final number of feeds per host.
    mutating func upsertAll(_ entries: [(feed: DaemonFeed, due: Date)]) {
        for (feed, due) in entries where slots[feed.id] == nil { slots[feed.id] = Slot(feed: feed, due: due) }
        for (feed, due) in entries { upsert(feed, due: due) }
    }

    /// Forgets a feed. A poll in flight finishes but its outcome no longer reschedules anything.
    mutating func remove(_ id: String) {
        guard let slot = slots.removeValue(forKey: id) else { return }
        if slot.inFlight { release(slot) }
    }

    /// Sets a feed's due time, moved later when needed so it is at least the host gap away from
    /// every other feed of the same host (spreads a burst of feeds from one site).
    mutating func place(_ id: String, at due: Date) {
        guard var slot = slots[id] else { return }
        let host = slot.feed.host
        let neighbours = slots.values.filter { $0.feed.host == host && $0.feed.id != id }
        let gap = neighbours.isEmpty ? 0 : min(hostSpacing, slot.feed.interval / Double(neighbours.count + 1))
        var candidate = due
        if gap > 0 {
            let taken = neighbours.map(\.due).sorted()
            for other in taken where abs(other.timeIntervalSince(candidate)) < gap {
                candidate = other.addingTimeInterval(gap)
            }
        }
        slot.due = candidate
        slots[id] = slot
    }

    /// The earliest due time among feeds not in flight, nil when there are none.
    var earliestDue: Date? {
        slots.values.lazy.filter { !$0.inFlight }.map(\.due).min()
    }

    /// Feeds due at `now` that fit the limits, earliest first; they are marked in flight.
    /// `monotonicNow` (real seconds) decides which polls in flight count as slow.
    mutating func takeDue(now: Date, monotonicNow: TimeInterval = HostSlots.monotonicNow()) -> [(feed: DaemonFeed, generation: Int)] {
        guard inFlightCount < concurrency else { return [] }
        let due = slots.values.filter { !$0.inFlight && $0.due <= now }.sorted { ($0.due, $0.feed.id) < ($1.due, $1.feed.id) }
        var taken: [(DaemonFeed, Int)] = []
        for slot in due {
            guard inFlightCount < concurrency else { break }
            let host = slot.feed.host
            guard hostSlots.canStart(host, now: monotonicNow) else { continue }
            inFlightCount += 1
            slots[slot.feed.id]?.inFlight = true
            slots[slot.feed.id]?.slotKey = host
            slots[slot.feed.id]?.slotToken = hostSlots.start(host, now: monotonicNow)
            taken.append((slot.feed, slot.generation))
        }
        return taken
    }

    /// When a due feed held back by its host's limit may get a slot because a poll in flight
    /// turns slow (monotonic seconds); nil when nothing due is waiting for that.
    func nextSlotChange(now: Date, monotonicNow: TimeInterval = HostSlots.monotonicNow()) -> TimeInterval? {
        guard slots.values.contains(where: { !$0.inFlight && $0.due <= now }) else { return nil }
        return hostSlots.nextChange(after: monotonicNow)
    }

    /// Marks a poll finished. Returns the current slot when its definition is still the one polled
    /// (the caller then reschedules it), nil when it was removed or changed meanwhile.
    mutating func finish(_ id: String, generation: Int) -> Slot? {
        guard var slot = slots[id], slot.inFlight else { return nil }
        release(slot)
        slot.inFlight = false
        slots[id] = slot
        return slot.generation == generation ? slot : nil
    }

    private mutating func release(_ slot: Slot) {
        inFlightCount -= 1
        hostSlots.finish(slot.slotKey, token: slot.slotToken)
    }
}
