import Foundation

/// Who this daemon is among the daemons sharing a database, and how long its claims last.
public struct ClusterMembership: Sendable, Equatable {
    public var node: String
    public var leaseSeconds: Double
    public var host: String
    public var pid: Int

    public init(node: String, leaseSeconds: Double, host: String = ProcessInfo.processInfo.hostName,
                pid: Int = Int(ProcessInfo.processInfo.processIdentifier)) {
        self.node = node; self.leaseSeconds = leaseSeconds; self.host = host; self.pid = pid
    }
}
