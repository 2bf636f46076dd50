import Foundation
import GRDB
@testable import Trends
import Alerts

/// A fresh SQLite file in a temp directory with the trends and alerts migrations applied.
struct TestDatabase {
    let directory: URL
    let path: String

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("dyadwatch-trends-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        path = directory.appendingPathComponent("state.sqlite").path
    }

    /// Opens (again) the same file, as a restarted process would.
    func open() throws -> DatabasePool {
        let pool = try DatabasePool(path: path)
        var m = DatabaseMigrator()
        TrendSchema.register(in: &m)
        AlertOutbox.register(in: &m)
        try m.migrate(pool)
        return pool
    }

    func remove() { try? FileManager.default.removeItem(at: directory) }
}

/// Builds contributions for tests without running an analyzer.
enum Make {
    static let monday: Int64 = 1_640_563_200 // 2021-12-27T00:00:00Z, a Monday

    static func contribution(_ id: Int64, day: Int, hour: Int = 12, outlet: String = "Global Times", group: String = "cn-state",
                             russia: Bool = false, china: Bool = false, dyad: Bool = false, stance: Double = 0,
                             frames: [String] = [], actors: [String] = [], title: String? = nil) -> Contribution {
        var c = SyntheticEvaluation.contribution(id: id)
        c.feedID = Scope.slug(outlet); c.outlet = outlet; c.group = group
        c.title = title ?? "headline \(id)"; c.link = "https://example.invalid/\(id)"
        c.time = Date(timeIntervalSince1970: Double(monday + Int64(day) * 86_400 + Int64(hour) * 3_600))
        c.russia = russia || dyad; c.china = china || dyad; c.dyad = dyad
        c.stance = stance; c.stanceLabel = stance > 0.2 ? .supportive : stance < -0.2 ? .critical : .neutral
        c.frames = frames; c.actors = dyad ? actors : []
        c.relevance = dyad ? 0.8 : 0; c.cues = dyad ? ["cue \(id)"] : []
        return c
    }

    static func date(day: Int, hour: Int = 0) -> Date {
        Date(timeIntervalSince1970: Double(monday + Int64(day) * 86_400 + Int64(hour) * 3_600))
    }
}
