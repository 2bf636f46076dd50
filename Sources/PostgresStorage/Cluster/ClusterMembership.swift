import Foundation

/// Who this daemon is among the daemons sharing a database, and how long its claims last.
public struct ClusterMembership: Sendable, Equatable {
    public var node: String
    public var leaseSeconds: Double
    public var host: String
    public var pid: Int

    /// A node whose heartbeat is older than this many lease periods is forgotten by the others'
    /// heartbeats (its row leaves `cluster_nodes` and `status`): 30, an hour with the default
    /// 2-minute lease, long after its feed leases ended.
    public static let forgetAfterLeases = 30

    public init(node: String, leaseSeconds: Double, host: String = ProcessInfo.processInfo.hostName,
                pid: Int = Int(ProcessInfo.processInfo.processIdentifier)) {
        self.node = node; self.leaseSeconds = leaseSeconds; self.host = host; self.pid = pid
    }
}
