import DyadCore

/// Writes an `ArticleAnalysisResult` as one JSON line straight into a byte buffer: the same bytes
/// as `DyadJSON.encoder()` (sorted keys, unescaped slashes, nil members left out) without going
/// through `Encodable` containers, which cost more than the analysis of a headline.
public struct ResultJSONWriter {
    public private(set) var bytes: [UInt8] = []

    public init(capacity: Int = 1 << 16) { bytes.reserveCapacity(capacity) }

    public mutating func removeAll() { bytes.removeAll(keepingCapacity: true) }

    /// Appends the result and a newline.
    public mutating func append(_ r: ArticleAnalysisResult) {
        raw("{\"dyad\":{\"isDyad\":")
        raw(r.dyad.isDyad ? "true" : "false")
        raw(",\"relevance\":"); number(r.dyad.relevance)
        raw(",\"sentences\":[")
        for (k, s) in r.dyad.sentences.enumerated() { if k > 0 { comma() }; string(s) }
        raw("]},\"entities\":[")
        for (k, e) in r.entities.enumerated() {
            if k > 0 { comma() }
            raw("{\"id\":"); string(e.id)
            raw(",\"mentions\":[")
            for (j, m) in e.mentions.enumerated() {
                if j > 0 { comma() }
                raw("{\"end\":"); integer(m.end)
                raw(",\"start\":"); integer(m.start)
                raw(",\"text\":"); string(m.text)
                bytes.append(UInt8(ascii: "}"))
            }
            raw("],\"name\":"); string(e.name)
            raw(",\"side\":"); string(e.side.rawValue)
            raw(",\"type\":"); string(e.type.rawValue)
            bytes.append(UInt8(ascii: "}"))
        }
        raw("],\"frames\":[")
        for (k, f) in r.frames.enumerated() {
            if k > 0 { comma() }
            raw("{\"evidence\":"); evidence(f.evidence)
            raw(",\"id\":"); string(f.id.rawValue)
            raw(",\"score\":"); number(f.score)
            bytes.append(UInt8(ascii: "}"))
        }
        raw("],\"id\":"); string(r.id)
        raw(",\"language\":"); string(r.language)
        raw(",\"stance\":{\"confidence\":"); number(r.stance.confidence)
        raw(",\"evidence\":"); evidence(r.stance.evidence)
        raw(",\"label\":"); string(r.stance.label.rawValue)
        raw(",\"score\":"); number(r.stance.score)
        raw("},\"tone\":{")
        var first = true
        if let v = r.tone.china { raw("\"china\":"); number(v); first = false }
        if let v = r.tone.russia { if !first { comma() }; raw("\"russia\":"); number(v); first = false }
        if let v = r.tone.us { if !first { comma() }; raw("\"us\":"); number(v) }
        raw("}}\n")
    }

    private mutating func evidence(_ list: [Evidence]) {
        bytes.append(UInt8(ascii: "["))
        for (k, e) in list.enumerated() {
            if k > 0 { comma() }
            raw("{\"cue\":"); string(e.cue)
            raw(",\"end\":"); integer(e.end)
            raw(",\"start\":"); integer(e.start)
            raw(",\"text\":"); string(e.text)
            raw(",\"weight\":"); number(e.weight)
            bytes.append(UInt8(ascii: "}"))
        }
        bytes.append(UInt8(ascii: "]"))
    }

    @inline(__always) private mutating func comma() { bytes.append(UInt8(ascii: ",")) }

    private mutating func raw(_ s: StaticString) {
        s.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    /// A JSON string: `"` `\` and control characters escaped, everything else (slashes, non-ASCII) as is.
    mutating func string(_ s: String) {
        bytes.append(0x22)
        var s = s
        s.withUTF8 { p in
            var runStart = 0
            for i in 0..<p.count {
                let b = p[i]
                guard b < 0x20 || b == 0x22 || b == 0x5C else { continue }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: p[runStart..<i]))
                bytes.append(0x5C)
                switch b {
                case 0x22: bytes.append(0x22)
                case 0x5C: bytes.append(0x5C)
                case 0x0A: bytes.append(UInt8(ascii: "n"))
                case 0x0D: bytes.append(UInt8(ascii: "r"))
                case 0x09: bytes.append(UInt8(ascii: "t"))
                case 0x08: bytes.append(UInt8(ascii: "b"))
                case 0x0C: bytes.append(UInt8(ascii: "f"))
                default:
                    bytes.append(contentsOf: [UInt8(ascii: "u"), 0x30, 0x30, ResultJSONWriter.hex[Int(b >> 4)], ResultJSONWriter.hex[Int(b & 15)]])
                }
                runStart = i + 1
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: p[runStart..<p.count]))
        }
        bytes.append(0x22)
    }

    mutating func integer(_ v: Int) {
        if v < 0 { bytes.append(UInt8(ascii: "-")) }
        var m = v.magnitude
        if m == 0 { bytes.append(0x30); return }
        var tmp: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                  UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var n = 0
        withUnsafeMutableBytes(of: &tmp) { t in
            while m > 0 { t[n] = UInt8(m % 10) + 0x30; m /= 10; n += 1 }
            for k in stride(from: n - 1, through: 0, by: -1) { bytes.append(t[k]) }
        }
    }

    /// Numbers as the encoder writes them: integral values without a fraction, others in the
    /// shortest form that reads back the same. Values rounded to three decimals (every score
    /// the analyzer emits) are written on bytes; others fall back to `description`.
    mutating func number(_ v: Double) {
        guard v.isFinite else { raw("0"); return }
        if v == v.rounded() && abs(v) < 1e15 {
            if v == 0 && v.sign == .minus { raw("-0"); return }
            integer(Int(v)); return
        }
        let thousandths = (v * 1000).rounded()
        if abs(thousandths) < 1e12 && thousandths / 1000 == v {
            var t = Int(thousandths)
            if t < 0 { bytes.append(UInt8(ascii: "-")); t = -t }
            integer(t / 1000)
            var frac = t % 1000
            bytes.append(UInt8(ascii: "."))
            var digits = 3
            while frac % 10 == 0 { frac /= 10; digits -= 1 }
            if digits >= 2 && frac < (digits == 3 ? 100 : 10) { bytes.append(0x30) }
            if digits == 3 && frac < 10 { bytes.append(0x30) }
            integer(frac)
            return
        }
        bytes.append(contentsOf: v.description.utf8)
    }
}
