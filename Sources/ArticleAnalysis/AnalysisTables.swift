import DyadCore

/// The tables of `AnalysisData` that the per-article loops read for every hit (per pattern, per
/// target, per cue, per entity), as plain pointers to copies `AnalysisData` owns. Reading an
/// array through the shared data object retains and releases its buffer; with two or more
/// workers every such count is an atomic write to a cache line all of them share. A pointer read
/// costs nothing of the kind. Filled once when the data is loaded, freed with it (`deallocate`),
/// and only read in between, so sharing between threads is safe.
struct AnalysisTables: @unchecked Sendable {
    /// Per pattern: index into the targets, and overlap layer.
    let patternTarget: UnsafeBufferPointer<Int32>
    let patternLayer: UnsafeBufferPointer<UInt8>
    /// Per target: its cue (or -1) and its entities as a range of `targetEntityList`.
    let targetCue: UnsafeBufferPointer<Int32>
    let targetEntityRange: UnsafeBufferPointer<Range<Int>>
    let targetEntityList: UnsafeBufferPointer<Int>
    /// Per entity: side, whether it is an actor (not a place), whether it is a city.
    let entitySide: UnsafeBufferPointer<Side>
    let entityIsActor: UnsafeBufferPointer<Bool>
    let entityIsCity: UnsafeBufferPointer<Bool>
    /// Per cue: category and weight.
    let cueCategory: UnsafeBufferPointer<CueCategory>
    let cueWeight: UnsafeBufferPointer<Double>
    /// Per entity: its result object around the mentions as JSON, ranges of `entityJSON`.
    let entityJSON: UnsafeBufferPointer<UInt8>
    let entityJSONHead: UnsafeBufferPointer<Range<Int>>
    let entityJSONTail: UnsafeBufferPointer<Range<Int>>

    /// No tables (data still being loaded).
    init() {
        patternTarget = UnsafeBufferPointer(start: nil, count: 0); patternLayer = UnsafeBufferPointer(start: nil, count: 0)
        targetCue = UnsafeBufferPointer(start: nil, count: 0); targetEntityRange = UnsafeBufferPointer(start: nil, count: 0)
        targetEntityList = UnsafeBufferPointer(start: nil, count: 0); entitySide = UnsafeBufferPointer(start: nil, count: 0)
        entityIsActor = UnsafeBufferPointer(start: nil, count: 0); entityIsCity = UnsafeBufferPointer(start: nil, count: 0)
        cueCategory = UnsafeBufferPointer(start: nil, count: 0); cueWeight = UnsafeBufferPointer(start: nil, count: 0)
        entityJSON = UnsafeBufferPointer(start: nil, count: 0); entityJSONHead = UnsafeBufferPointer(start: nil, count: 0)
        entityJSONTail = UnsafeBufferPointer(start: nil, count: 0)
    }

    /// Copies of the loaded data's arrays.
    init(_ d: AnalysisData) {
        patternTarget = AnalysisTables.copy(d.patternTarget); patternLayer = AnalysisTables.copy(d.patternLayer)
        targetCue = AnalysisTables.copy(d.targetCue); targetEntityRange = AnalysisTables.copy(d.targetEntityRange)
        targetEntityList = AnalysisTables.copy(d.targetEntityList); entitySide = AnalysisTables.copy(d.entitySide)
        entityIsActor = AnalysisTables.copy(d.entityIsActor); entityIsCity = AnalysisTables.copy(d.entityIsCity)
        cueCategory = AnalysisTables.copy(d.cueCategory); cueWeight = AnalysisTables.copy(d.cueWeight)
        entityJSON = AnalysisTables.copy(d.entityJSON); entityJSONHead = AnalysisTables.copy(d.entityJSONHead)
        entityJSONTail = AnalysisTables.copy(d.entityJSONTail)
    }

    /// Frees the copies (by the owning `AnalysisData`, when it goes away).
    func deallocate() {
        patternTarget.deallocate(); patternLayer.deallocate(); targetCue.deallocate(); targetEntityRange.deallocate()
        targetEntityList.deallocate(); entitySide.deallocate(); entityIsActor.deallocate(); entityIsCity.deallocate()
        cueCategory.deallocate(); cueWeight.deallocate(); entityJSON.deallocate(); entityJSONHead.deallocate()
        entityJSONTail.deallocate()
    }

    private static func copy<T>(_ a: [T]) -> UnsafeBufferPointer<T> {
        let p = UnsafeMutableBufferPointer<T>.allocate(capacity: max(a.count, 1))
        _ = p.initialize(from: a)
        return UnsafeBufferPointer(rebasing: p[0..<a.count])
    }
}
