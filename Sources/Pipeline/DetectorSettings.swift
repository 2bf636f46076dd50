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

        let vo = d.volume
        if let e = vo.enabled { volumeEnabled = e }
        if let m = vo.metrics { volumeMetrics = m.compactMap(VolumeMetric.init(rawValue:)) }
        vo.numbers["p_value"].map { volumePValue = $0 }
        vo.numbers["min_count"].map { volumeMinCount = Int($0) }
        vo.numbers["min_ratio"].map { volumeMinRatio = $0 }
        vo.numbers["level_alpha"].map { volumeLevelAlpha = $0 }
        vo.numbers["season_alpha"].map { volumeSeasonAlpha = $0 }
        vo.numbers["min_dispersion"].map { volumeMinDispersion = $0 }

        let so = d.stance
        if let e = so.enabled { stanceEnabled = e }
        so.numbers["min_articles"].map { stanceMinArticles = Int($0) }
        so.numbers["k"].map { stanceK = $0 }
        so.numbers["h"].map { stanceH = $0 }
        so.numbers["alpha"].map { stanceAlpha = $0 }
        so.numbers["min_spread"].map { stanceMinSpread = $0 }

        let fo = d.frame
        if let e = fo.enabled { frameEnabled = e }
        fo.numbers["min_articles"].map { frameMinArticles = Int($0) }
        fo.numbers["min_count"].map { frameMinCount = Int($0) }
        fo.numbers["min_delta"].map { frameMinDelta = $0 }
        fo.numbers["p_value"].map { frameP = $0 }
        fo.numbers["alpha"].map { frameAlpha = $0 }

        let dv = d.divergence
        if let e = dv.enabled { divergenceEnabled = e }
        dv.numbers["min_articles"].map { divergenceMinArticles = Int($0) }
        dv.numbers["k"].map { divergenceK = $0 }
        dv.numbers["h"].map { divergenceH = $0 }
        dv.numbers["alpha"].map { divergenceAlpha = $0 }

        let na = d.newActor
        if let e = na.enabled { newActorEnabled = e }
        na.numbers["min_count"].map { newActorMinCount = Int($0) }
        na.numbers["max_baseline_rate"].map { newActorMaxBaselineRate = $0 }
        na.numbers["alpha"].map { newActorAlpha = $0 }
    }
}
