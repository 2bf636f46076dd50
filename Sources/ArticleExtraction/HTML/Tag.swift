/// The HTML elements the extractor treats specially; every other name is `.other` (an inline
/// element for text purposes, like `span` or a custom element).
enum Tag: UInt8, Sendable {
    case other, html, head, body, title, meta, link, script, style, noscript, template, svg, math
    case iframe, object, embed, canvas, video, audio, source, picture, img, button, select, input
    case textarea, option, label, form, fieldset, nav, aside, footer, header, figure, figcaption
    case dialog, menu, article, main, section, div, p, pre, blockquote, td, th, tr, table, thead
    case tbody, tfoot, caption, ul, ol, li, dl, dt, dd, h1, h2, h3, h4, h5, h6, br, hr, a, time
    case address, center, details, summary, hgroup, span, font, b, i, em, strong, small, sup, sub, u
    case code, q, cite, abbr, mark, ins, del, s, wbr, map, area, base, col, colgroup, legend, output
    case progress, meter, frame, frameset, applet

    /// Names of up to 8 bytes packed into 64 bits; longer names by string.
    private static let byKey: [UInt64: Tag] = {
        var m: [UInt64: Tag] = [:]
        var raw: UInt8 = 1
        while let t = Tag(rawValue: raw) {
            let name = Array("\(t)".utf8) + [0]
            if let k = name.withUnsafeBufferPointer({ key($0.baseAddress!, max: 8) }) { m[k] = t }
            raw += 1
        }
        return m
    }()
    private static let byLongName: [String: Tag] = {
        var m: [String: Tag] = [:]
        var raw: UInt8 = 1
        while let t = Tag(rawValue: raw) {
            if "\(t)".utf8.count > 8 { m["\(t)"] = t }
            raw += 1
        }
        return m
    }()

    /// The name's bytes as a number, or nil when it is longer than `max` bytes.
    private static func key(_ p: UnsafePointer<UInt8>, max: Int) -> UInt64? {
        var k: UInt64 = 0
        var i = 0
        while i < max && p[i] != 0 {
            k = k << 8 | UInt64(p[i])
            i += 1
        }
        return p[i] == 0 ? k : nil
    }

    /// The tag for a libxml2 element name (already lower case: the HTML parser folds names).
    static func named(_ cName: UnsafePointer<UInt8>?) -> Tag {
        guard let cName else { return .other }
        if let k = key(cName, max: 8) { return byKey[k] ?? .other }
        return byLongName[String(cString: cName)] ?? .other
    }

    /// Elements that start a new paragraph in the output and count as structure for scoring.
    var isBlock: Bool { Tag.blockSet[Int(rawValue)] }

    /// Elements whose content is never article text (code, embedded media, form controls).
    var isNeverText: Bool { Tag.neverTextSet[Int(rawValue)] }

    /// Page furniture by its very tag: removed unless it holds the article.
    var isFurniture: Bool { Tag.furnitureSet[Int(rawValue)] }

    /// Headings.
    var isHeading: Bool { self == .h1 || self == .h2 || self == .h3 || self == .h4 || self == .h5 || self == .h6 }

    private static func table(_ tags: [Tag]) -> [Bool] {
        var t = [Bool](repeating: false, count: 256)
        for tag in tags { t[Int(tag.rawValue)] = true }
        return t
    }

    private static let blockSet = table([
        .html, .body, .article, .main, .section, .div, .p, .pre, .blockquote, .td, .th, .tr, .table, .thead, .tbody,
        .tfoot, .caption, .ul, .ol, .li, .dl, .dt, .dd, .h1, .h2, .h3, .h4, .h5, .h6, .hr, .address, .center,
        .details, .summary, .hgroup, .nav, .aside, .footer, .header, .figure, .figcaption, .form, .fieldset,
        .dialog, .menu, .legend, .option, .noscript, .iframe, .video, .audio, .object, .frameset, .frame,
    ])

    private static let furnitureSet = table([.nav, .aside, .footer, .header, .figcaption, .menu, .dialog])

    private static let neverTextSet = table([
        .head, .title, .meta, .link, .script, .style, .noscript, .template, .svg, .math, .iframe, .object, .embed,
        .canvas, .video, .audio, .source, .picture, .img, .button, .select, .input, .textarea, .option, .dialog,
        .map, .area, .base, .col, .colgroup, .progress, .meter, .frame, .frameset, .applet, .output, .label, .legend,
    ])
}
