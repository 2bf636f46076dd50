import CLibXML2
import Foundation

/// What the XML stage produced: the recovered tree (possibly partial) and what went wrong.
struct XMLParseOutcome {
    var root: XMLElement?
    var wellFormed: Bool
    var problems: [String]
    /// Entity references libxml2 could not resolve (names without `&`/`;`), for the repair pass.
    var undefinedEntities: Set<String>
    /// True when errors came from `&` usage (undefined entities, bare ampersands).
    var hadAmpersandErrors: Bool
    /// True when the parse was cut short by a `ParserLimits` bound or a refused entity.
    var stoppedByLimit: Bool
    /// True when the input ended while elements were still open (a body cut off in transfer).
    var endedEarly: Bool = false
    /// Items/entries left out of the tree by `EntryBound` (beyond `ParserLimits.maxEntries`).
    var droppedEntries: Int = 0
}

/// Builds an `XMLElement` tree from libxml2's SAX2 callbacks over an UTF-8 buffer.
/// Safety: no network, no DTD loading, external entities refused, libxml2's own entity
/// amplification checks on, plus our depth and expanded-text budgets.
final class SAXTreeBuilder {
    /// Problems kept per document; later ones are only counted.
    static let maxRecordedProblems = 20
    private static let xmlNamespace = "http://www.w3.org/XML/1998/namespace"

    private let limits: ParserLimits
    private let textBudget: Int
    private var stack: [XMLElement] = []
    /// Children of each open element, in one reused buffer: `childStarts[d]` is where the
    /// children of `stack[d]` begin in `pendingChildren`.
    private var pendingChildren: [XMLChild] = []
    private var childStarts: [Int] = []
    /// Finished items/entries among the children of each open element (parallel to `childStarts`).
    private var entryCounts: [Int] = []
    private var droppedEntries = 0
    private var root: XMLElement?
    private var text: [UInt8] = []
    private var textProduced = 0
    private var problems: [String] = []
    private var suppressedProblems = 0
    private var undefinedEntities: Set<String> = []
    private var ampersandErrors = false
    private var stoppedByLimit = false
    private var context: xmlParserCtxtPtr?
    private let documentURL: String?
    /// Names and namespace URIs as Swift strings, keyed by libxml2's interned (dictionary)
    /// pointers: each distinct name is converted once per document, and equal names share storage.
    private var interned = PointerMap<String>()
    private var elementNames = PointerMap<(String, ElementName)>()
    private var namespaceIDs = PointerMap<(String, UInt8)>()
    private var nextDynamicNamespace = NamespaceID.firstDynamic

    private func intern(_ p: UnsafePointer<xmlChar>) -> String {
        let key = UnsafeRawPointer(p)
        if let s = interned.value(for: key) { return s }
        let s = String(cString: p)
        interned.insert(s, for: key)
        return s
    }

    private func internElementName(_ p: UnsafePointer<xmlChar>) -> (String, ElementName) {
        let key = UnsafeRawPointer(p)
        if let hit = elementNames.value(for: key) { return hit }
        let s = String(cString: p)
        let entry = (s, ElementName(localName: s))
        elementNames.insert(entry, for: key)
        return entry
    }

    private func internNamespace(_ p: UnsafePointer<xmlChar>?) -> (String?, UInt8) {
        guard let p else { return (nil, NamespaceID.none) }
        let key = UnsafeRawPointer(p)
        if let hit = namespaceIDs.value(for: key) { return hit }
        let s = String(cString: p)
        var id = NamespaceID.fixedID(s)
        if id == nil {
            // Same URI at another address (not interned by libxml2): reuse its identifier.
            id = namespaceIDs.first { $0.0 == s }?.1
        }
        if id == nil {
            id = nextDynamicNamespace
            if nextDynamicNamespace < NamespaceID.lastDynamic { nextDynamicNamespace += 1 }
        }
        let entry = (s, id!)
        namespaceIDs.insert(entry, for: key)
        return entry
    }

    private init(limits: ParserLimits, inputBytes: Int, documentURL: String?) {
        self.limits = limits
        self.textBudget = limits.textBudget(forInputBytes: inputBytes)
        self.documentURL = documentURL
    }

    /// Parses `utf8` (already transcoded to UTF-8; any encoding declaration is ignored).
    static func parse(utf8: [UInt8], documentURL: String?, limits: ParserLimits) -> XMLParseOutcome {
        LibXML2Runtime.prepareThread()
        let builder = SAXTreeBuilder(limits: limits, inputBytes: utf8.count, documentURL: documentURL)
        let parsedWellFormed: Bool = utf8.withUnsafeBufferPointer { buf -> Bool in
            guard let base = buf.baseAddress, buf.count > 0,
                  let ctxt = base.withMemoryRebound(to: CChar.self, capacity: buf.count, {
                      xmlCreateMemoryParserCtxt($0, Int32(clamping: buf.count))
                  }) else {
                builder.record("document is empty")
                return false
            }
            defer {
                if let doc = ctxt.pointee.myDoc { xmlFreeDoc(doc); ctxt.pointee.myDoc = nil }
                xmlFreeParserCtxt(ctxt)
            }
            xmlCtxtUseOptions(ctxt, Int32(LibXML2Runtime.parserOptions))
            ctxt.pointee.sax.pointee = LibXML2Runtime.saxHandler
            ctxt.pointee._private = Unmanaged.passUnretained(builder).toOpaque()
            builder.context = ctxt
            xmlParseDocument(ctxt)
            builder.flushText()
            builder.endedEarly = !builder.stack.isEmpty && !builder.stoppedByLimit
            builder.closeAll()
            return ctxt.pointee.wellFormed != 0
        }
        if builder.root == nil && builder.problems.isEmpty { builder.record("no root element found") }
        var problems = builder.problems
        if builder.suppressedProblems > 0 { problems.append("… and \(builder.suppressedProblems) more problems") }
        return XMLParseOutcome(root: builder.root, wellFormed: parsedWellFormed && builder.root != nil && !builder.stoppedByLimit,
                               problems: problems, undefinedEntities: builder.undefinedEntities,
                               hadAmpersandErrors: builder.ampersandErrors, stoppedByLimit: builder.stoppedByLimit,
                               endedEarly: builder.endedEarly, droppedEntries: builder.droppedEntries)
    }

    /// Set by `parse` when the input ended with elements still open.
    private var endedEarly = false

    /// Closes elements left open by a truncated or stopped document, keeping what they hold but
    /// marking them unfinished (an item cut mid-way is not an entry).
    private func closeAll() {
        for element in stack { element.markUnfinished() }
        while !stack.isEmpty { closeTop() }
    }

    fileprivate static func from(_ ctx: UnsafeMutableRawPointer?) -> SAXTreeBuilder? {
        guard let ctx else { return nil }
        let ctxt = ctx.assumingMemoryBound(to: xmlParserCtxt.self)
        guard let priv = ctxt.pointee._private else { return nil }
        return Unmanaged<SAXTreeBuilder>.fromOpaque(priv).takeUnretainedValue()
    }

    /// Runs `body` on the builder behind a SAX context without retaining it: the builder is
    /// kept alive by `parse` for the whole libxml2 run, and the hot callbacks (one per element
    /// and text run) otherwise pay a retain/release pair each.
    @inline(__always)
    fileprivate static func with(_ ctx: UnsafeMutableRawPointer?, _ body: (SAXTreeBuilder) -> Void) {
        guard let ctx else { return }
        let ctxt = ctx.assumingMemoryBound(to: xmlParserCtxt.self)
        guard let priv = ctxt.pointee._private else { return }
        Unmanaged<SAXTreeBuilder>.fromOpaque(priv)._withUnsafeGuaranteedRef(body)
    }

    fileprivate func record(_ problem: String) {
        if problems.last == problem { return } // libxml2 repeats some errors once per nesting level
        if problems.count < Self.maxRecordedProblems { problems.append(problem) } else { suppressedProblems += 1 }
    }

    private func stop(_ problem: String) {
        guard !stoppedByLimit else { return }
        stoppedByLimit = true
        record(problem)
        if let context { xmlStopParser(context) }
    }

    // MARK: SAX events

    fileprivate func startElement(localname: UnsafePointer<xmlChar>?, prefix: UnsafePointer<xmlChar>?,
                                  uri: UnsafePointer<xmlChar>?, nbNamespaces: Int32,
                                  namespaces: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?,
                                  nbAttributes: Int32, attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?) {
        guard !stoppedByLimit, let localname else { return }
        if stack.count >= limits.maxDepth {
            stop("elements nested deeper than \(limits.maxDepth) levels; parsing stopped")
            return
        }
        if stack.isEmpty && root != nil { return } // a second root (recovery): ignore it
        flushText()
        let parent = stack.last
        var base = parent?.base ?? documentURL
        var lang = parent?.lang
        var attrs: [XMLAttribute] = []
        if nbAttributes > 0, let attributes {
            attrs.reserveCapacity(Int(nbAttributes))
            for i in 0..<Int(nbAttributes) {
                let slot = attributes + i * 5
                guard let name = slot[0], let start = slot[3], let end = slot[4] else { continue }
                let count = end - start
                let value = String(decoding: UnsafeBufferPointer(start: start, count: max(0, count)), as: UTF8.self)
                let ns = slot[2].map(intern)
                let attrName = intern(name)
                if ns == Self.xmlNamespace {
                    if attrName == "base" { base = URLResolver.resolve(value, against: base) }
                    if attrName == "lang" { lang = value.trimmingASCIIWhitespace() }
                }
                attrs.append(XMLAttribute(name: attrName, namespace: ns, prefix: slot[1].map(intern), value: value))
            }
        }
        var declarations: [(prefix: String?, uri: String)] = []
        if nbNamespaces > 0, let namespaces {
            for i in 0..<Int(nbNamespaces) {
                let p = namespaces[2 * i].map(intern)
                let u = namespaces[2 * i + 1].map(intern) ?? ""
                declarations.append((p, u))
            }
        }
        let (name, nameID) = internElementName(localname)
        let (namespace, nsID) = internNamespace(uri)
        let element = XMLElement(name: name, nameID: nameID, namespace: namespace, nsID: nsID,
                                 prefix: prefix.map(intern), attributes: attrs, base: base,
                                 lang: lang, namespaceDeclarations: declarations)
        if parent != nil { pendingChildren.append(.element(element)) } else { root = element }
        stack.append(element)
        childStarts.append(pendingChildren.count)
        entryCounts.append(0)
    }

    /// Counts a finished item/entry in its parent and keeps the parent's entries bounded.
    private func closed(_ element: XMLElement) {
        guard EntryBound.isEntry(element), !entryCounts.isEmpty else { return }
        entryCounts[entryCounts.count - 1] += 1
        if entryCounts[entryCounts.count - 1] > 2 * limits.maxEntries { boundEntries() }
    }

    private func boundEntries() {
        droppedEntries += EntryBound.compact(&pendingChildren, from: childStarts[childStarts.count - 1], keep: limits.maxEntries)
        entryCounts[entryCounts.count - 1] = min(entryCounts[entryCounts.count - 1], limits.maxEntries)
    }

    fileprivate func endElement() {
        guard !stoppedByLimit, let top = stack.last else { return }
        if !text.isEmpty && pendingChildren.count == childStarts[childStarts.count - 1]
            && !(Self.isStructural(top.nameID) && text.allSatisfy(String.isASCIISpace)) {
            // A leaf holding only text (most feed elements): the text goes straight to it,
            // without a trip through the pending-children buffer.
            stack.removeLast()
            childStarts.removeLast()
            entryCounts.removeLast()
            top.setSoleText(String(decoding: text, as: UTF8.self))
            text.removeAll(keepingCapacity: true)
            closed(top)
            return
        }
        flushText()
        closeTop()
    }

    /// Hands the top element its collected children and pops it.
    private func closeTop() {
        if entryCounts[entryCounts.count - 1] > limits.maxEntries { boundEntries() }
        let start = childStarts.removeLast()
        entryCounts.removeLast()
        let element = stack.removeLast()
        element.setChildren(pendingChildren[start...])
        pendingChildren.removeSubrange(start...)
        if !element.unfinished { closed(element) }
    }

    fileprivate func characters(_ bytes: UnsafePointer<xmlChar>?, _ length: Int32) {
        guard !stoppedByLimit, let bytes, length > 0, !stack.isEmpty else { return }
        textProduced += Int(length)
        if textProduced > textBudget {
            stop("character data exceeds \(textBudget) bytes (entity expansion?); parsing stopped")
            return
        }
        text.append(contentsOf: UnsafeBufferPointer(start: bytes, count: Int(length)))
    }

    /// Containers of the feed vocabularies whose whitespace between children means nothing
    /// (indentation); it is not kept. Text inside any other element is kept as written.
    /// (A switch rather than a `Set`: it runs at every text run, and hashing showed in profiles.)
    private static func isStructural(_ name: ElementName) -> Bool {
        switch name {
        case .rss, .RDF, .channel, .item, .feed, .entry, .author, .image, .textInput, .source: return true
        default: return false
        }
    }

    private func flushText() {
        guard !text.isEmpty else { return }
        if let top = stack.last, Self.isStructural(top.nameID), text.allSatisfy(String.isASCIISpace) {
            text.removeAll(keepingCapacity: true)
            return
        }
        if !stack.isEmpty { pendingChildren.append(.text(String(decoding: text, as: UTF8.self))) }
        text.removeAll(keepingCapacity: true)
    }

    fileprivate func entity(named name: UnsafePointer<xmlChar>, context ctx: UnsafeMutableRawPointer) -> xmlEntityPtr? {
        if let predefined = xmlGetPredefinedEntity(name) { return predefined }
        guard let entity = xmlSAX2GetEntity(ctx, name) else { return nil }
        switch entity.pointee.etype {
        case XML_EXTERNAL_GENERAL_PARSED_ENTITY, XML_EXTERNAL_GENERAL_UNPARSED_ENTITY:
            record("external entity '\(String(cString: name))' not loaded (external entities are never fetched)")
            return nil
        default:
            return entity
        }
    }

    fileprivate func error(_ err: UnsafePointer<xmlError>) {
        let e = err.pointee
        if e.level.rawValue < XML_ERR_ERROR.rawValue {
            // With an (unloaded) external DTD an undeclared entity is only a warning: the DTD may
            // have declared it (RSS 0.91's Netscape DTD declares the HTML entities). Keep the name
            // for the repair pass, without calling the document ill-formed.
            if xmlParserErrors(rawValue: UInt32(bitPattern: e.code)) == XML_WAR_UNDECLARED_ENTITY, let s = e.str1 {
                undefinedEntities.insert(String(cString: s))
            }
            return
        }
        let code = xmlParserErrors(rawValue: UInt32(bitPattern: e.code))
        switch code {
        case XML_ERR_UNDECLARED_ENTITY:
            ampersandErrors = true
            if let s = e.str1 { undefinedEntities.insert(String(cString: s)) }
        case XML_ERR_ENTITYREF_SEMICOL_MISSING, XML_ERR_NAME_REQUIRED, XML_ERR_ENTITYREF_NO_NAME:
            ampersandErrors = true
        case XML_ERR_ENTITY_LOOP, XML_ERR_ENTITY_BOUNDARY:
            stoppedByLimit = true
        default:
            break
        }
        var message = e.message.map { String(cString: $0) } ?? "XML error \(e.code)"
        message = message.trimmingASCIIWhitespace()
        record(e.line > 0 ? "line \(e.line): \(message)" : message)
    }
}

/// Process-wide libxml2 set-up: one-time initialisation, the SAX handler table and options.
enum LibXML2Runtime {
    /// Recover from errors; substitute entities (internal ones only: external loading is refused);
    /// never touch the network; ignore the encoding declaration (input is UTF-8 by then).
    static let parserOptions: Int32 = Int32(XML_PARSE_RECOVER.rawValue | XML_PARSE_NOENT.rawValue
        | XML_PARSE_NONET.rawValue | XML_PARSE_IGNORE_ENC.rawValue | XML_PARSE_NOWARNING.rawValue)

    private static let initialized: Bool = {
        xmlInitParser()
        dyad_installSafeEntityLoader()
        return true
    }()

    /// Initialises libxml2 once and silences its stderr output on the calling thread.
    static func prepareThread() {
        _ = initialized
        dyad_silenceGenericErrors()
    }

    /// SAX2 callbacks: our tree building plus libxml2's own DTD bookkeeping for internal entities.
    nonisolated(unsafe) static let saxHandler: xmlSAXHandler = {
        var sax = xmlSAXHandler()
        sax.initialized = UInt32(XML_SAX2_MAGIC)
        sax.startDocument = xmlSAX2StartDocument
        sax.internalSubset = xmlSAX2InternalSubset
        sax.entityDecl = xmlSAX2EntityDecl
        sax.getParameterEntity = xmlSAX2GetParameterEntity
        sax.resolveEntity = { _, _, _ in nil }
        sax.getEntity = { ctx, name in
            guard let ctx, let name, let b = SAXTreeBuilder.from(ctx) else { return nil }
            return b.entity(named: name, context: ctx)
        }
        sax.startElementNs = { ctx, localname, prefix, uri, nbNs, namespaces, nbAttrs, _, attrs in
            SAXTreeBuilder.with(ctx) {
                $0.startElement(localname: localname, prefix: prefix, uri: uri, nbNamespaces: nbNs,
                                namespaces: namespaces, nbAttributes: nbAttrs, attributes: attrs)
            }
        }
        sax.endElementNs = { ctx, _, _, _ in SAXTreeBuilder.with(ctx) { $0.endElement() } }
        sax.characters = { ctx, ch, len in SAXTreeBuilder.with(ctx) { $0.characters(ch, len) } }
        sax.cdataBlock = { ctx, ch, len in SAXTreeBuilder.with(ctx) { $0.characters(ch, len) } }
        sax.serror = { ctx, err in
            guard let err else { return }
            SAXTreeBuilder.from(ctx)?.error(err)
        }
        return sax
    }()
}
