import FeedStorage
import Foundation

/// Feed leases in the feeds table: `lease_owner`, `lease_until` (the database's clock). A claim
/// is `SELECT … FOR UPDATE SKIP LOCKED` on the feed's row: of several daemons asking at once, one
/// gets the row, the others skip it without waiting.
extension PostgresFeedStore: FeedLeasing {
    public var node: String { cluster?.node ?? "" }

    public func claim(_ feedID: String, now: Date) throws -> FeedClaim {
        try claim(feedID, now: now, anyTime: false)
    }

    public func claimNow(_ feedID: String, now: Date) throws -> FeedClaim {
        try claim(feedID, now: now, anyTime: true)
    }

    private func claim(_ feedID: String, now: Date, anyTime: Bool) throws -> FeedClaim {
        guard let cluster else { return .claimed }
        return try client.transaction { c in
            let claimed = try c.query("""
                WITH target AS (
                  SELECT id FROM feeds
                  WHERE id = $1 AND disabled_reason IS NULL AND (next_due IS NULL OR next_due <= $3 OR $5)
                    AND (lease_until IS NULL OR lease_until < now() OR lease_owner = $2)
                  FOR UPDATE SKIP LOCKED)
                UPDATE feeds SET lease_owner = $2, lease_until = now() + make_interval(secs => $4)
                FROM target WHERE feeds.id = target.id
                RETURNING feeds.id
                """, [.text(feedID), .text(cluster.node), .date(now), .double(cluster.leaseSeconds), .bool(anyTime)])
            if !claimed.isEmpty { return .claimed }
            guard let row = try c.query("""
                SELECT next_due, disabled_reason, lease_owner,
                       CASE WHEN lease_until > now() THEN EXTRACT(EPOCH FROM lease_until - now())::float8 END AS lease_left
                FROM feeds WHERE id = $1
                """, [.text(feedID)]).first else {
                return .notDue(nextDue: nil)  // not registered yet: the next poll registers it
            }
            if let reason = try row.get("disabled_reason", as: String?.self) { return .disabled(reason: reason) }
            if let left = try row.get("lease_left", as: Double?.self), let owner = try row.get("lease_owner", as: String?.self),
               owner != cluster.node {
                return .leased(owner: owner, retryIn: max(1, left))
            }
            if let due = try row.get("next_due", as: Date?.self), due > now { return .notDue(nextDue: due) }
            // Locked by another node's claim this very moment.
            return .leased(owner: "another node", retryIn: 1)
        }
    }

    /// Ends this node's lease on a feed whose outcome it is storing (same transaction).
    func releaseLease(_ feedID: String, _ c: PGConnection) throws {
        guard let cluster else { return }
        try c.execute("UPDATE feeds SET lease_owner = NULL, lease_until = NULL WHERE id = $1 AND lease_owner = $2",
                      [.text(feedID), .text(cluster.node)])
    }

    /// Records this node's heartbeat, and forgets the nodes whose last heartbeat is older than
    /// `ClusterMembership.forgetAfterLeases` of this node's lease periods (dead or stopped long
    /// ago: their leases expired long before), so `cluster_nodes` does not keep one row per node
    /// name ever started (a default name carries the pid).
    public func heartbeat(polls: Int) throws {
        guard let cluster else { return }
        try client.withConnection { c in
            try c.execute("""
                INSERT INTO cluster_nodes (node, host, pid, started_at, heartbeat, polls) VALUES ($1, $2, $3, now(), now(), $4)
                ON CONFLICT (node) DO UPDATE SET host = EXCLUDED.host, heartbeat = now(), polls = EXCLUDED.polls,
                  started_at = CASE WHEN cluster_nodes.pid = EXCLUDED.pid THEN cluster_nodes.started_at ELSE now() END,
                  pid = EXCLUDED.pid
                """, [.text(cluster.node), .text(cluster.host), .int(cluster.pid), .int(polls)])
            try c.execute("DELETE FROM cluster_nodes WHERE node <> $1 AND heartbeat < now() - make_interval(secs => $2)",
                          [.text(cluster.node), .double(cluster.leaseSeconds * Double(ClusterMembership.forgetAfterLeases))])
        }
    }

    public var leaseSeconds: TimeInterval { cluster?.leaseSeconds ?? 0 }

    public func renew(_ feedIDs: [String]) throws {
        guard let cluster, !feedIDs.isEmpty else { return }
        _ = try client.withConnection { c in
            try c.execute("""
                UPDATE feeds SET lease_until = now() + make_interval(secs => $3) WHERE id = ANY($1) AND lease_owner = $2
                """, [.textArray(feedIDs), .text(cluster.node), .double(cluster.leaseSeconds)])
        }
    }

    public func leave() throws {
        guard let cluster else { return }
        try client.transaction { c in
            try c.execute("UPDATE feeds SET lease_owner = NULL, lease_until = NULL WHERE lease_owner = $1", [.text(cluster.node)])
            try releasePageClaims(c)
            try c.execute("DELETE FROM cluster_leases WHERE owner = $1", [.text(cluster.node)])
        }
    }

    public func nodes() throws -> [ClusterNode] {
        try client.withConnection { c in
            try c.query("""
                SELECT n.node, n.host, n.pid, n.started_at, n.heartbeat, n.polls,
                       EXTRACT(EPOCH FROM now() - n.heartbeat)::float8 AS age,
                       ARRAY(SELECT id FROM feeds WHERE lease_owner = n.node AND lease_until > now() ORDER BY id) AS feeds,
                       ARRAY(SELECT name FROM cluster_leases WHERE owner = n.node AND until > now() ORDER BY name) AS leases,
                       (SELECT COUNT(*) FROM entries WHERE fulltext_status = 'pending' AND page_lease_owner = n.node
                          AND page_lease_until > now()) AS pages
                FROM cluster_nodes n ORDER BY n.node
                """).map { r in
                ClusterNode(node: try r.get("node"), host: try r.get("host"), pid: Int(try r.get("pid", as: Int64.self)),
                            startedAt: try r.get("started_at"), heartbeat: try r.get("heartbeat"),
                            heartbeatAge: try r.get("age"), polls: Int(try r.get("polls", as: Int64.self)),
                            leasedFeeds: try r.get("feeds"), leases: try r.get("leases"),
                            pageClaims: Int(try r.get("pages", as: Int64.self)))
            }
        }
    }
}
