import Foundation

/// What a daemon learns when it asks to poll a feed that other daemons share.
public enum FeedClaim: Sendable, Equatable {
    /// This node holds the feed's lease until it stores the poll's outcome (or the lease expires).
    case claimed
    /// Another node polled it meanwhile: not due before `nextDue`.
    case notDue(nextDue: Date?)
    /// Another live node is polling it; ask again in `retryIn` seconds (when its lease ends).
    case leased(owner: String, retryIn: TimeInterval)
    /// The feed is disabled (410) in the shared state.
    case disabled(reason: String)
}

/// Several daemons on one feed list (PostgreSQL): a feed is polled by the node that claimed it,
/// one at a time. Storing the poll's outcome (`commitPoll`, `save`) releases the lease; while the
/// poll runs its node renews it (`renew`, on a timer of its own); a node that dies loses its
/// leases when they expire. The SQLite store has no such thing: one daemon
/// per state directory (`daemon.lock`).
public protocol FeedLeasing: Sendable {
    /// This daemon's name in leases and `status`.
    var node: String { get }
    /// Claims `feedID` if it is due at `now` (the daemon's clock) and no other live node holds it.
    func claim(_ feedID: String, now: Date) throws -> FeedClaim
    /// Claims `feedID` whatever its stored next due time, if no other live node holds it: a manual
    /// `poll --once --all` or `--feed`, which polls feeds before they are due.
    func claimNow(_ feedID: String, now: Date) throws -> FeedClaim
    /// How long a claim lasts unless renewed (`[storage] lease`).
    var leaseSeconds: TimeInterval { get }
    /// Records that this node is alive and how many polls it made (several times per lease period).
    func heartbeat(polls: Int) throws
    /// Extends this node's leases on feeds it is still polling by another lease period, so a slow
    /// poll keeps its feed; a lease another node took after it expired is left alone.
    func renew(_ feedIDs: [String]) throws
    /// Leaves the cluster cleanly: releases this node's leases (at shutdown).
    func leave() throws
    /// Every node seen, with its heartbeat and the feeds it holds now (`status`).
    func nodes() throws -> [ClusterNode]
}

/// One daemon as `status` shows it.
public struct ClusterNode: Sendable, Equatable {
    public var node: String
    public var host: String
    public var pid: Int
    public var startedAt: Date
    public var heartbeat: Date
    /// Seconds since the heartbeat, by the database's clock.
    public var heartbeatAge: TimeInterval
    public var polls: Int
    /// Feeds this node holds a live lease on now.
    public var leasedFeeds: [String]
    /// Named leases it holds (`alerts-delivery`).
    public var leases: [String]
    /// Full-text pages it has claimed and is fetching now.
    public var pageClaims: Int

    public init(node: String, host: String, pid: Int, startedAt: Date, heartbeat: Date, heartbeatAge: TimeInterval,
                polls: Int, leasedFeeds: [String], leases: [String], pageClaims: Int = 0) {
        self.node = node; self.host = host; self.pid = pid; self.startedAt = startedAt; self.heartbeat = heartbeat
        self.heartbeatAge = heartbeatAge; self.polls = polls; self.leasedFeeds = leasedFeeds; self.leases = leases
        self.pageClaims = pageClaims
    }
}
