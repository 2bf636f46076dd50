import Foundation
import DyadCore

// Contributions and aggregates written as `DyadJSON.encoder()` writes them (keys in sorted order,
// nil optionals left out): one contribution per entry and a few aggregates per batch are stored
// on every ingest (`TrendCoding.encode`).

extension Contribution: JSONWritable {
    public func write(json w: inout JSONWriter) {
        w.beginObject()
        w.key("actors"); w.array(actors)
        w.key("china"); w.bool(china)
        w.key("cues"); w.array(cues)
        w.key("dyad"); w.bool(dyad)
        w.key("entryID"); w.int(entryID)
        w.key("feedID"); w.string(feedID)
        w.key("frames"); w.array(frames)
        w.key("group"); w.string(group)
        if let link { w.key("link"); w.string(link) }
        w.key("outlet"); w.string(outlet)
        if let quotes { w.key("quotes"); w.array(quotes) }
        w.key("relevance"); w.double(relevance)
        w.key("russia"); w.bool(russia)
        w.key("stance"); w.double(stance)
        w.key("stanceLabel"); w.string(stanceLabel.rawValue)
        w.key("time"); w.date(time)
        w.key("title"); w.string(title)
        if let toneChina { w.key("toneChina"); w.double(toneChina) }
        if let toneRussia { w.key("toneRussia"); w.double(toneRussia) }
        if let toneUS { w.key("toneUS"); w.double(toneUS) }
        if let weight { w.key("weight"); w.double(weight) }
        w.endObject()
    }
}

extension StanceQuote: JSONWritable {
    public func write(json w: inout JSONWriter) {
        w.beginObject()
        w.key("cue"); w.string(cue)
        w.key("sentence"); w.string(sentence)
        w.key("weight"); w.double(weight)
        w.endObject()
    }
}

extension Aggregate: JSONWritable {
    public func write(json w: inout JSONWriter) {
        w.beginObject()
        w.key("actors"); w.object(actors)
        w.key("china"); w.int(china)
        w.key("critical"); w.int(critical)
        w.key("dyad"); w.int(dyad)
        w.key("entries"); w.int(entries)
        w.key("frames"); w.object(frames)
        w.key("neutral"); w.int(neutral)
        w.key("russia"); w.int(russia)
        w.key("stanceW"); w.double(stanceW)
        w.key("stanceWS"); w.double(stanceWS)
        w.key("stanceWSS"); w.double(stanceWSS)
        w.key("stanceWW"); w.double(stanceWW)
        w.key("supportive"); w.int(supportive)
        w.key("toneChinaN"); w.int(toneChinaN)
        w.key("toneChinaSum"); w.double(toneChinaSum)
        w.key("toneRussiaN"); w.int(toneRussiaN)
        w.key("toneRussiaSum"); w.double(toneRussiaSum)
        w.key("toneUSN"); w.int(toneUSN)
        w.key("toneUSSum"); w.double(toneUSSum)
        w.endObject()
    }
}

extension Aggregate: JSONReadable {
    /// Every key of the stored form, once each, in any order and spacing; nil otherwise (the
    /// decoder then decides).
    public init?(json r: inout JSONReader) {
        var a = Aggregate()
        var seen: UInt32 = 0
        let ok = r.object { key, r in
            let bit: Int
            switch key {
            case "actors": guard let m = r.intMap() else { return false }; a.actors = m; bit = 0
            case "china": guard let v = r.int() else { return false }; a.china = v; bit = 1
            case "critical": guard let v = r.int() else { return false }; a.critical = v; bit = 2
            case "dyad": guard let v = r.int() else { return false }; a.dyad = v; bit = 3
            case "entries": guard let v = r.int() else { return false }; a.entries = v; bit = 4
            case "frames": guard let m = r.intMap() else { return false }; a.frames = m; bit = 5
            case "neutral": guard let v = r.int() else { return false }; a.neutral = v; bit = 6
            case "russia": guard let v = r.int() else { return false }; a.russia = v; bit = 7
            case "stanceW": guard let v = r.double() else { return false }; a.stanceW = v; bit = 8
            case "stanceWS": guard let v = r.double() else { return false }; a.stanceWS = v; bit = 9
            case "stanceWSS": guard let v = r.double() else { return false }; a.stanceWSS = v; bit = 10
            case "stanceWW": guard let v = r.double() else { return false }; a.stanceWW = v; bit = 11
            case "supportive": guard let v = r.int() else { return false }; a.supportive = v; bit = 12
            case "toneChinaN": guard let v = r.int() else { return false }; a.toneChinaN = v; bit = 13
            case "toneChinaSum": guard let v = r.double() else { return false }; a.toneChinaSum = v; bit = 14
            case "toneRussiaN": guard let v = r.int() else { return false }; a.toneRussiaN = v; bit = 15
            case "toneRussiaSum": guard let v = r.double() else { return false }; a.toneRussiaSum = v; bit = 16
            case "toneUSN": guard let v = r.int() else { return false }; a.toneUSN = v; bit = 17
            case "toneUSSum": guard let v = r.double() else { return false }; a.toneUSSum = v; bit = 18
            default: return false
            }
            guard seen & (1 << bit) == 0 else { return false }
            seen |= 1 << bit
            return true
        }
        guard ok, seen == (1 << 19) - 1 else { return nil }
        self = a
    }
}
