import Foundation
import DyadConfig
import Trends

extension DetectorParameters {
    /// The detector parameters of a configuration: documented defaults, overridden by `[detectors]`
    /// and by `cooldown` of `[alerts]`.
    public init(_ configuration: Configuration) {
        self.init(detectors: configuration.section(DetectorsConfig.self), alerts: configuration.section(AlertsConfig.self))
    }

    public init(detectors d: DetectorsConfig, alerts: AlertsConfig) {
        self.init()
        if let g = d.granularity.flatMap(Granularity.init(rawValue:)) { granularity = g }
        if let v = d.warmupBuckets { warmupBuckets = v }
        if let v = d.closeDelay { closeDelay = v }
        if let v = d.lookback { lookback = v }
        if let v = d.evidence { evidenceCount = v }
        cooldown = alerts.cooldown

        if let e = d.volume.enabled { volumeEnabled = e }
        if let m = d.volume.metrics { volumeMetrics = m.compactMap(VolumeMetric.init(rawValue:)) }
        apply(d.volume.numbers,
              doubles: ["p_value": \.volumePValue, "min_ratio": \.volumeMinRatio, "level_alpha": \.volumeLevelAlpha,
                        "season_alpha": \.volumeSeasonAlpha, "min_dispersion": \.volumeMinDispersion],
              ints: ["min_count": \.volumeMinCount])

        if let e = d.stance.enabled { stanceEnabled = e }
        apply(d.stance.numbers,
              doubles: ["k": \.stanceK, "h": \.stanceH, "alpha": \.stanceAlpha, "min_spread": \.stanceMinSpread,
                        "weight_floor": \.stanceWeightFloor],
              ints: ["min_articles": \.stanceMinArticles, "pool_buckets": \.stancePoolBuckets])

        if let e = d.frame.enabled { frameEnabled = e }
        apply(d.frame.numbers,
              doubles: ["min_delta": \.frameMinDelta, "p_value": \.frameP, "alpha": \.frameAlpha],
              ints: ["min_articles": \.frameMinArticles, "min_count": \.frameMinCount, "window": \.frameWindow])

        if let e = d.divergence.enabled { divergenceEnabled = e }
        apply(d.divergence.numbers,
              doubles: ["k": \.divergenceK, "h": \.divergenceH, "alpha": \.divergenceAlpha],
              ints: ["min_articles": \.divergenceMinArticles, "pool_buckets": \.divergencePoolBuckets])

        if let e = d.newActor.enabled { newActorEnabled = e }
        apply(d.newActor.numbers,
              doubles: ["max_baseline_rate": \.newActorMaxBaselineRate, "alpha": \.newActorAlpha],
              ints: ["min_count": \.newActorMinCount])
    }

    /// Copies the numbers a `[detectors.*]` sub-table sets onto the parameters they name.
    private mutating func apply(_ numbers: [String: Double], doubles: [String: WritableKeyPath<Self, Double>],
                                ints: [String: WritableKeyPath<Self, Int>]) {
        for (key, path) in doubles { if let v = numbers[key] { self[keyPath: path] = v } }
        for (key, path) in ints { if let v = numbers[key] { self[keyPath: path] = Int(v) } }
    }
}
