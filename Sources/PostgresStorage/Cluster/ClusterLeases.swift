import Foundation

/// Named leases held by one node at a time until they expire (the database's clock decides, so
/// the nodes' clocks need not agree). A node renews the leases it holds each time it uses them;
/// a node that died loses them when `until` passes.
enum ClusterLeases {
    /// The node that delivers alerts to its alerts.log / alerts.jsonl / on_alert.
    static let deliveryLease = "alerts-delivery"

    /// Takes the lease when it is free or expired, renews it when `node` holds it; false when
    /// another node holds a live one.
    static func acquire(_ c: PGConnection, name: String, node: String, seconds: Double) throws -> Bool {
        let rows = try c.query("""
            INSERT INTO cluster_leases (name, owner, until) VALUES ($1, $2, now() + make_interval(secs => $3))
            ON CONFLICT (name) DO UPDATE SET owner = EXCLUDED.owner, until = EXCLUDED.until
              WHERE cluster_leases.owner = EXCLUDED.owner OR cluster_leases.until < now()
            RETURNING owner
            """, [.text(name), .text(node), .double(seconds)])
        return !rows.isEmpty
    }

    static func release(_ c: PGConnection, name: String, node: String) throws {
        try c.execute("DELETE FROM cluster_leases WHERE name = $1 AND owner = $2", [.text(name), .text(node)])
    }
}
