import Foundation

// The analyzer's result written as `DyadJSON.encoder()` writes it (keys in sorted order, nil
// optionals left out): it is stored once per analyzed entry (`trends_analysis.result`).

extension ArticleAnalysisResult: JSONWritable {
    public func write(json w: inout JSONWriter) {
        w.beginObject()
        w.key("dyad"); w.value(dyad)
        w.key("entities"); w.array(entities)
        w.key("frames"); w.array(frames)
        w.key("id"); w.string(id)
        w.key("language"); w.string(language)
        w.key("stance"); w.value(stance)
        w.key("tone"); w.value(tone)
        w.endObject()
    }
}

extension DyadResult: JSONWritable {
    public func write(json w: inout JSONWriter) {
        w.beginObject()
        w.key("isDyad"); w.bool(isDyad)
        w.key("relevance"); w.double(relevance)
        w.key("sentences"); w.array(sentences)
        w.endObject()
    }
}

extension EntityMatch: JSONWritable {
    public func write(json w: inout JSONWriter) {
        w.beginObject()
        w.key("id"); w.string(id)
        w.key("mentions"); w.array(mentions)
        w.key("name"); w.string(name)
        w.key("side"); w.string(side.rawValue)
        w.key("type"); w.string(type.rawValue)
        w.endObject()
    }
}

extension Mention: JSONWritable {
    public func write(json w: inout JSONWriter) {
        w.beginObject()
        w.key("end"); w.int(end)
        w.key("start"); w.int(start)
        w.key("text"); w.string(text)
        w.endObject()
    }
}

extension Evidence: JSONWritable {
    public func write(json w: inout JSONWriter) {
        w.beginObject()
        w.key("cue"); w.string(cue)
        w.key("end"); w.int(end)
        if let sentence { w.key("sentence"); w.string(sentence) }
        w.key("start"); w.int(start)
        w.key("text"); w.string(text)
        w.key("weight"); w.double(weight)
        w.endObject()
    }
}

extension StanceResult: JSONWritable {
    public func write(json w: inout JSONWriter) {
        w.beginObject()
        w.key("confidence"); w.double(confidence)
        w.key("evidence"); w.array(evidence)
        w.key("label"); w.string(label.rawValue)
        w.key("score"); w.double(score)
        w.endObject()
    }
}

extension ToneResult: JSONWritable {
    public func write(json w: inout JSONWriter) {
        w.beginObject()
        if let china { w.key("china"); w.double(china) }
        if let russia { w.key("russia"); w.double(russia) }
        if let us { w.key("us"); w.double(us) }
        w.endObject()
    }
}

extension FrameScore: JSONWritable {
    public func write(json w: inout JSONWriter) {
        w.beginObject()
        w.key("evidence"); w.array(evidence)
        w.key("id"); w.string(id.rawValue)
        w.key("score"); w.double(score)
        w.endObject()
    }
}
