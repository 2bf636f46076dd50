import DyadCore

/// Writes an `ArticleAnalysisResult` as one JSON line straight into a byte buffer: the same bytes
/// as `DyadJSON.encoder()` (sorted keys, unescaped slashes, nil members left out) without going
/// through `Encodable` containers, which cost more than the analysis of a headline.
public struct ResultJSONWriter: ~Copyable {
    private var out: ByteSink

    public init(capacity: Int = 1 << 16) { out = ByteSink(capacity: capacity) }

    /// The bytes written so far (a copy; `withBytes` avoids it).
    public var bytes: [UInt8] { out.withBytes { Array($0) } }
    public func withBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R { try out.withBytes(body) }
    public var isEmpty: Bool { out.isEmpty }

    /// Forgets what was written, keeps the memory (a writer serves window after window).
    public mutating func removeAll() { out.removeAll() }

    /// Appends the result and a newline.
    public mutating func append(_ r: ArticleAnalysisResult) {
        var id = r.id
        id.withUTF8 { id in
            document(dyad: r.dyad, frames: r.frames, id: id, language: r.language, stance: r.stance, tone: r.tone) { w in
                for (k, e) in r.entities.enumerated() {
                    if k > 0 { w.comma() }
                    let envelope = ResultJSONWriter.entityEnvelope(id: e.id, name: e.name, side: e.side, type: e.type)
                    envelope.head.withUnsafeBufferPointer { w.out.append(contentsOf: $0) }
                    for (j, m) in e.mentions.enumerated() {
                        if j > 0 { w.comma() }
                        var text = m.text
                        text.withUTF8 { w.mention(start: m.start, end: m.end, text: $0) }
                    }
                    envelope.tail.withUnsafeBufferPointer { w.out.append(contentsOf: $0) }
                }
            }
        }
    }

    /// Appends the analysis of the article in `scan` and a newline: the same bytes as `append`
    /// of the result, with the id given as the UTF-8 of that String (e.g. straight from the input
    /// line) and the entities written straight from the scan's hits and the data's pre-written
    /// entity envelopes (no `EntityMatch`, `Mention` or String per article).
    mutating func append(_ p: AnalysisParts, id: UnsafeBufferPointer<UInt8>, entitiesOf scan: ArticleScan) {
        document(dyad: p.dyad, frames: p.frames, id: id, language: p.language, stance: p.stance, tone: p.tone) { w in
            scan.groupEntities()
            // The shared envelopes through the data's pointer tables: no reference counting on
            // arrays every worker reads.
            let tables = scan.tables
            let envelopes = tables.entityJSON
            scan.text.original.withUnsafeBufferPointer { text in
            scan.entityHits.withUnsafeBufferPointer { hits in
                for (k, g) in scan.entityGroups.groups.enumerated() {
                    if k > 0 { w.comma() }
                    w.out.append(contentsOf: UnsafeBufferPointer(rebasing: envelopes[tables.entityJSONHead[g.entity]]))
                    var first = true
                    scan.entityGroups.forEachMention(of: g) { i in
                        if !first { w.comma() }
                        first = false
                        let h = hits[i]
                        w.mention(start: scan.text.scalarOffset(h.start), end: scan.text.scalarOffset(h.end),
                                  text: UnsafeBufferPointer(rebasing: text[h.start..<h.end]))
                    }
                    w.out.append(contentsOf: UnsafeBufferPointer(rebasing: envelopes[tables.entityJSONTail[g.entity]]))
                }
            }}
        }
    }

    /// The object, members in sorted order; `entities` writes the entity list's items.
    private mutating func document(dyad: DyadResult, frames: [FrameScore], id: UnsafeBufferPointer<UInt8>, language: String,
                                   stance: StanceResult, tone: ToneResult, entities: (inout ResultJSONWriter) -> Void) {
        // Most articles are not about the dyad: that case as one literal (0 is `+0.0` only).
        if !dyad.isDyad && dyad.relevance.bitPattern == 0 && dyad.sentences.isEmpty {
            raw("{\"dyad\":{\"isDyad\":false,\"relevance\":0,\"sentences\":[]},\"entities\":[")
        } else {
            if dyad.isDyad { raw("{\"dyad\":{\"isDyad\":true,\"relevance\":") } else { raw("{\"dyad\":{\"isDyad\":false,\"relevance\":") }
            number(dyad.relevance)
            raw(",\"sentences\":[")
            for (k, s) in dyad.sentences.enumerated() { if k > 0 { comma() }; string(s) }
            raw("]},\"entities\":[")
        }
        entities(&self)
        raw("],\"frames\":[")
        for (k, f) in frames.enumerated() {
            if k > 0 { comma() }
            raw("{\"evidence\":"); evidence(f.evidence)
            raw(",\"id\":"); string(f.id.rawValue)
            raw(",\"score\":"); number(f.score)
            out.append(UInt8(ascii: "}"))
        }
        raw("],\"id\":"); string(bytes: id)
        raw(",\"language\":"); string(language)
        if stance.confidence.bitPattern == 0 && stance.evidence.isEmpty {
            raw(",\"stance\":{\"confidence\":0,\"evidence\":[],\"label\":")
        } else {
            raw(",\"stance\":{\"confidence\":"); number(stance.confidence)
            raw(",\"evidence\":"); evidence(stance.evidence)
            raw(",\"label\":")
        }
        string(stance.label.rawValue)
        if stance.score.bitPattern == 0 { raw(",\"score\":0},\"tone\":{") } else { raw(",\"score\":"); number(stance.score); raw("},\"tone\":{") }
        var first = true
        if let v = tone.china { raw("\"china\":"); number(v); first = false }
        if let v = tone.russia { if !first { comma() }; raw("\"russia\":"); number(v); first = false }
        if let v = tone.us { if !first { comma() }; raw("\"us\":"); number(v) }
        raw("}}\n")
    }

    /// `{"id":…,"mentions":[` and `],"name":…,"side":…,"type":…}`: the parts of an entity's object
    /// around its mentions, which do not depend on the article (`AnalysisData` writes them once).
    static func entityEnvelope(id: String, name: String, side: Side, type: EntityType) -> (head: [UInt8], tail: [UInt8]) {
        var w = ResultJSONWriter(capacity: 64)
        w.raw("{\"id\":"); w.string(id)
        w.raw(",\"mentions\":[")
        let head = w.bytes
        w.removeAll()
        w.raw("],\"name\":"); w.string(name)
        w.raw(",\"side\":"); w.string(side.rawValue)
        w.raw(",\"type\":"); w.string(type.rawValue)
        w.out.append(UInt8(ascii: "}"))
        return (head, w.bytes)
    }

    /// One mention object.
    private mutating func mention(start: Int, end: Int, text: UnsafeBufferPointer<UInt8>) {
        raw("{\"end\":"); integer(end)
        raw(",\"start\":"); integer(start)
        raw(",\"text\":"); string(bytes: text)
        out.append(UInt8(ascii: "}"))
    }

    private mutating func evidence(_ list: [Evidence]) {
        out.append(UInt8(ascii: "["))
        for (k, e) in list.enumerated() {
            if k > 0 { comma() }
            raw("{\"cue\":"); string(e.cue)
            raw(",\"end\":"); integer(e.end)
            if let sentence = e.sentence { raw(",\"sentence\":"); string(sentence) }
            raw(",\"start\":"); integer(e.start)
            raw(",\"text\":"); string(e.text)
            raw(",\"weight\":"); number(e.weight)
            out.append(UInt8(ascii: "}"))
        }
        out.append(UInt8(ascii: "]"))
    }

    @inline(__always) private mutating func comma() { out.append(UInt8(ascii: ",")) }

    @inline(__always) private mutating func raw(_ s: StaticString) {
        out.append(contentsOf: UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
    }

    /// A JSON string (`DyadCore.JSONString`: the one escaper of the project's JSON writers).
    mutating func string(_ s: String) { JSONString.append(s, to: &out) }

    /// The same for UTF-8 bytes (valid UTF-8: a byte range of the analysed text).
    mutating func string(bytes p: UnsafeBufferPointer<UInt8>) { JSONString.append(utf8: p, to: &out) }

    /// "00" "01" … "99": integers are written two digits per step.
    @inline(__always) private static var digitPairs: StaticString {
        "00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899"
    }

    /// Decimal digits of an Int (at most 19, and a sign).
    static let maxIntegerBytes = 20

    @inline(__always)
    mutating func integer(_ v: Int) {
        // Offsets and counts of a headline: one or two digits, the common case.
        if v >= 0 && v < 100 {
            if v < 10 { out.append(0x30 &+ UInt8(truncatingIfNeeded: v)); return }
            let pair = ResultJSONWriter.digitPairs.utf8Start + v * 2
            out.append(pair[0]); out.append(pair[1])
            return
        }
        largeInteger(v)
    }

    /// `integer` beyond two digits: digits from the end of a stack buffer, two at a time, then one copy.
    @inline(never)
    mutating func largeInteger(_ v: Int) {
        var m = v.magnitude
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: ResultJSONWriter.maxIntegerBytes) { t in
            let pairs = ResultJSONWriter.digitPairs.utf8Start
            var k = t.count
            while m >= 100 {
                let pair = pairs + Int(m % 100) * 2
                m /= 100
                k -= 2; t[k] = pair[0]; t[k + 1] = pair[1]
            }
            if m >= 10 {
                let pair = pairs + Int(m) * 2
                k -= 2; t[k] = pair[0]; t[k + 1] = pair[1]
            } else {
                k -= 1; t[k] = 0x30 &+ UInt8(truncatingIfNeeded: m)
            }
            if v < 0 { out.append(UInt8(ascii: "-")) }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: t[k...]))
        }
    }

    /// Numbers as the encoder writes them: integral values without a fraction, others in the
    /// shortest form that reads back the same. Values rounded to three decimals (every score
    /// the analyzer emits) are written on bytes; others fall back to `description`.
    @inline(__always)
    mutating func number(_ v: Double) {
        // Integral test by conversion (truncation; exact below 1e15): no libm call. Most scores are 0.
        if abs(v) < 1e15 {
            let t = Int(v)
            if Double(t) == v {
                if t == 0 && v.sign == .minus { raw("-0"); return }
                integer(t); return
            }
        } else if !v.isFinite {
            raw("0"); return
        }
        fraction(v)
    }

    /// `number` of a non-integral (or huge) value: thousandths on bytes when the value is one,
    /// else `description`.
    @inline(never)
    mutating func fraction(_ v: Double) {
        let x = v * 1000
        // `x.rounded()` (half away from zero) without libm: below 2^52, x - trunc(x) is exact.
        guard abs(x) < 4e15 else { out.append(utf8: v.description); return }
        var t = Int(x)
        let rest = x - Double(t)
        if rest >= 0.5 { t += 1 } else if rest <= -0.5 { t -= 1 }
        guard t.magnitude < 1_000_000_000_000 && Double(t) / 1000 == v else { out.append(utf8: v.description); return }
        if t < 0 { out.append(UInt8(ascii: "-")); t = -t }
        integer(t / 1000)
        let frac = t % 1000
        out.append(UInt8(ascii: "."))
        // Three decimals without their trailing zeros (frac is not 0: v is not integral).
        let d1 = frac / 100, d2 = frac / 10 % 10, d3 = frac % 10
        out.append(0x30 &+ UInt8(truncatingIfNeeded: d1))
        if d2 != 0 || d3 != 0 { out.append(0x30 &+ UInt8(truncatingIfNeeded: d2)) }
        if d3 != 0 { out.append(0x30 &+ UInt8(truncatingIfNeeded: d3)) }
    }
}
