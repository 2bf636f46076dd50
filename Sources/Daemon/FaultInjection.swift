import Foundation

/// Faults the real-binary tests inject through `$DYADWATCH_FAULT` (comma-separated), to prove the
/// daemon's safety nets work. Never set in production; unknown names are ignored with a warning.
///   - `wedge-scheduler-after=SECONDS`: the scheduler loop blocks forever once SECONDS have passed,
///     so the watchdog must stop being sent;
///   - `crash-before-analysis`: the process SIGKILLs itself right after a poll's storage
///     transaction committed and before its entries reach analysis (the worst moment to die).
public struct FaultInjection: Sendable, Equatable {
    public static let environmentKey = "DYADWATCH_FAULT"
    public var wedgeSchedulerAfter: TimeInterval?
    public var crashBeforeAnalysis = false
    public var unknown: [String] = []

    public init(wedgeSchedulerAfter: TimeInterval? = nil, crashBeforeAnalysis: Bool = false) {
        self.wedgeSchedulerAfter = wedgeSchedulerAfter; self.crashBeforeAnalysis = crashBeforeAnalysis
    }

    public init(environment: [String: String]) {
        guard let spec = environment[FaultInjection.environmentKey], !spec.isEmpty else { return }
        for item in spec.split(separator: ",") {
            let parts = item.split(separator: "=", maxSplits: 1).map { String($0).trimmingCharacters(in: .whitespaces) }
            if parts.count == 2, parts[0] == "wedge-scheduler-after", let seconds = TimeInterval(parts[1]) {
                wedgeSchedulerAfter = seconds
            } else if parts == ["crash-before-analysis"] {
                crashBeforeAnalysis = true
            } else {
                unknown.append(String(item))
            }
        }
    }

    public var isActive: Bool { wedgeSchedulerAfter != nil || crashBeforeAnalysis }
}
