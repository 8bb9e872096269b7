// The only Swift file that imports libxml2: a SAX2 push parser with safe settings.
// libxml2 reference: <https://gnome.pages.gitlab.gnome.org/libxml2/devhelp/libxml2-parser.html>.
internal import CLibXML2
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A run of UTF-8 bytes owned by libxml2, valid only during the callback that hands it out.
struct XMLBytes {
    /// The first byte (nil when the run is empty).
    let start: UnsafePointer<UInt8>?
    /// The number of bytes.
    let count: Int

    /// The bytes of a NUL-terminated C string (nil gives an empty run).
    init(cString: UnsafePointer<UInt8>?) {
        start = cString
        count = cString.map { strlen(UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self)) } ?? 0
    }

    /// The bytes of a buffer.
    init(_ buffer: UnsafeBufferPointer<UInt8>) {
        start = buffer.baseAddress
        count = buffer.count
    }

    /// The bytes between two pointers into one buffer.
    init(start: UnsafePointer<UInt8>?, end: UnsafePointer<UInt8>?) {
        self.start = start
        if let start, let end { count = end - start } else { count = 0 }
    }

    /// The bytes as a buffer.
    var buffer: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: start, count: count) }

    /// True when the run has no bytes.
    var isEmpty: Bool { count == 0 }

    /// Decodes the bytes as UTF-8 (libxml2 hands out well-formed UTF-8).
    var string: String { String(decoding: buffer, as: UTF8.self) }

    /// Byte-wise equality with a constant.
    func equals(_ other: StaticBytes) -> Bool {
        guard count == other.count else { return false }
        if count == 0 { return true }
        return memcmp(start!, other.start, count) == 0
    }

    /// Byte-wise equality with another run.
    func equals(_ other: XMLBytes) -> Bool {
        guard count == other.count else { return false }
        if count == 0 { return true }
        return memcmp(start!, other.start!, count) == 0
    }

    /// The byte at `index` (no bounds check beyond a precondition in debug builds).
    subscript(index: Int) -> UInt8 { start![index] }
}

/// A constant byte string with a stable address, for comparisons against libxml2's bytes.
struct StaticBytes: @unchecked Sendable {
    /// The first byte.
    let start: UnsafePointer<UInt8>
    /// The number of bytes.
    let count: Int

    /// Copies `text`, NUL-terminated, into memory that lives as long as the process (a handful of constants only).
    init(_ text: StaticString) {
        let pointer = UnsafeMutablePointer<UInt8>.allocate(capacity: text.utf8CodeUnitCount + 1)
        pointer.initialize(from: text.utf8Start, count: text.utf8CodeUnitCount)
        pointer[text.utf8CodeUnitCount] = 0
        start = UnsafePointer(pointer)
        count = text.utf8CodeUnitCount
    }
}

/// True when the NUL-terminated string at `pointer` equals `constant` (no length is measured first).
@inline(__always)
func cStringEquals(_ pointer: UnsafePointer<UInt8>, _ constant: StaticBytes) -> Bool {
    strncmp(UnsafeRawPointer(pointer).assumingMemoryBound(to: CChar.self),
            UnsafeRawPointer(constant.start).assumingMemoryBound(to: CChar.self), constant.count + 1) == 0
}

/// One attribute of a start tag, as libxml2's SAX2 `startElementNs` gives it (names are measured on access).
struct XMLAttribute {
    fileprivate let entry: UnsafeMutablePointer<UnsafePointer<UInt8>?>

    /// The local name as libxml2 gave it (interned in its dictionary for the whole parse).
    var localNamePointer: UnsafePointer<UInt8> { entry[0]! }
    /// The namespace name as libxml2 gave it (nil when the attribute has no namespace).
    var namespacePointer: UnsafePointer<UInt8>? { entry[2] }
    /// True when the attribute's namespace name is `namespace`.
    func isInNamespace(_ namespace: StaticBytes) -> Bool {
        guard let uri = entry[2] else { return false }
        return cStringEquals(uri, namespace)
    }
    /// True when the attribute's local name is `name`.
    func localNameIs(_ name: StaticBytes) -> Bool { cStringEquals(entry[0]!, name) }

    /// The local part of the name.
    var localName: XMLBytes { XMLBytes(cString: entry[0]) }
    /// The prefix, empty when the attribute is unprefixed.
    var prefix: XMLBytes { XMLBytes(cString: entry[1]) }
    /// The namespace name, nil when the attribute has no namespace.
    var namespaceURI: XMLBytes? { entry[2].map { XMLBytes(cString: $0) } }
    /// The normalized value, with entities and character references expanded.
    var value: XMLBytes { XMLBytes(start: entry[3], end: entry[4]) }
    /// True when the prefix starts with "xml" in any case (names XML reserves); measures nothing.
    var hasXMLPrefix: Bool {
        guard let prefix = entry[1] else { return false }
        return prefix[0] | 0x20 == UInt8(ascii: "x") && prefix[1] | 0x20 == UInt8(ascii: "m") && prefix[2] | 0x20 == UInt8(ascii: "l")
    }
}

/// The attributes of one start tag (a view over libxml2's 5-pointers-per-attribute array).
struct XMLAttributeList: RandomAccessCollection {
    fileprivate let base: UnsafeMutablePointer<UnsafePointer<UInt8>?>?
    /// The number of attributes.
    let count: Int

    var startIndex: Int { 0 }
    var endIndex: Int { count }

    subscript(index: Int) -> XMLAttribute {
        XMLAttribute(entry: base! + 5 * index)
    }
}

/// The namespace declarations of one start tag: (prefix, namespace name) pairs; the default namespace has an empty prefix.
struct XMLNamespaceList: RandomAccessCollection {
    fileprivate let base: UnsafeMutablePointer<UnsafePointer<UInt8>?>?
    /// The number of declarations.
    let count: Int

    var startIndex: Int { 0 }
    var endIndex: Int { count }

    subscript(index: Int) -> (prefix: XMLBytes, namespaceURI: XMLBytes) {
        let entry = base! + 2 * index
        return (XMLBytes(cString: entry[0]), XMLBytes(cString: entry[1]))
    }
}

/// The qualified name of an element: local name, prefix (empty if none) and namespace name (nil if none).
///
/// libxml2 interns element names in its dictionary, so `localNamePointer` and `prefixPointer` stay valid
/// for the whole parse.
struct XMLElementName {
    /// The local name as libxml2 gave it.
    let localNamePointer: UnsafePointer<UInt8>
    /// The namespace name as libxml2 gave it (nil when the element is in no namespace).
    let namespacePointer: UnsafePointer<UInt8>?
    /// The prefix as libxml2 gave it (nil when unprefixed).
    let prefixPointer: UnsafePointer<UInt8>?

    /// The local part.
    var localName: XMLBytes { XMLBytes(cString: localNamePointer) }
    /// The namespace name, nil when the element is in no namespace.
    var namespaceURI: XMLBytes? { namespacePointer.map { XMLBytes(cString: $0) } }
    /// The prefix, empty when unprefixed.
    var prefix: XMLBytes { XMLBytes(cString: prefixPointer) }
    /// True when the element's namespace name is `namespace`.
    func isInNamespace(_ namespace: StaticBytes) -> Bool {
        guard let namespacePointer else { return false }
        return cStringEquals(namespacePointer, namespace)
    }
}

/// Receives the XML events of one document, in document order. Throwing stops the parse.
protocol XMLEventHandler: AnyObject {
    /// A start tag, with its namespace declarations and attributes.
    func startElement(_ name: XMLElementName, namespaces: XMLNamespaceList, attributes: XMLAttributeList) throws
    /// An end tag (also sent for empty-element tags).
    func endElement(_ name: XMLElementName) throws
    /// Character data (possibly in several pieces for one text node); CDATA sections arrive here too.
    func characters(_ bytes: UnsafeBufferPointer<UInt8>) throws
    /// A processing instruction inside the document element.
    func processingInstruction(target: XMLBytes, data: XMLBytes) throws
    /// A comment.
    func comment(_ text: XMLBytes) throws
}

/// A grammar violation found by an `XMLEventHandler`; the reader adds the file, line and column.
struct XMLHandlerFailure: Error {
    /// What is wrong.
    let message: String
}

/// Limits that keep entity expansion bounded in time and memory.
enum XMLReaderLimits {
    /// Characters of entity replacement text allowed regardless of document size (16 MiB).
    static let baseEntityExpansion = 16 << 20
    /// Extra replacement characters allowed per byte of input read so far.
    static let entityExpansionPerInputByte = 2
}

/// A streaming XML reader on libxml2's SAX2 push parser.
///
/// Safe settings: internal DTD entities are expanded (`XML_PARSE_NOENT`), but nothing is ever loaded on the
/// document's behalf (no `XML_PARSE_DTDLOAD`, `XML_PARSE_NONET`, a refusing `resolveEntity` and a refusing
/// process-wide external entity loader), and the total entity replacement text is capped at
/// `baseEntityExpansion + entityExpansionPerInputByte × bytesFed` characters, on top of libxml2's own
/// amplification checks.
final class XMLReader {
    private let documentName: String?
    fileprivate let handler: any XMLEventHandler
    private var context: xmlParserCtxtPtr?
    /// The first error seen (from libxml2, from the handler, or from the entity limit).
    private var failure: (any Error)?
    private var bytesFed = 0
    private var entityCharacters = 0

    /// Creates a reader that sends events to `handler`; `documentName` appears in errors.
    init(documentName: String?, handler: any XMLEventHandler) {
        XMLReader.installRefusingLoader()
        self.documentName = documentName
        self.handler = handler
        var sax = xmlSAXHandler()
        // Start from libxml2's SAX2 defaults (they keep the internal subset so entities can be expanded),
        // then route content events to us and switch off everything that could load external resources.
        xmlSAXVersion(&sax, 2)
        sax.startElement = nil
        sax.endElement = nil
        sax.startElementNs = xmlReaderStartElement
        sax.endElementNs = xmlReaderEndElement
        sax.characters = xmlReaderCharacters
        sax.ignorableWhitespace = xmlReaderCharacters
        sax.cdataBlock = xmlReaderCharacters
        sax.processingInstruction = xmlReaderProcessingInstruction
        sax.comment = xmlReaderComment
        sax.getEntity = xmlReaderGetEntity
        sax.resolveEntity = xmlReaderRefuseEntity
        sax.externalSubset = nil
        sax.reference = nil
        sax.setDocumentLocator = nil
        sax.warning = nil
        sax.error = nil
        sax.fatalError = nil
        sax.serror = xmlReaderStructuredError
        // user_data nil: libxml2 then passes the parser context to every callback, which its own SAX2
        // defaults (entity declarations, the internal subset) require. We find ourselves in ctxt->_private.
        context = xmlCreatePushParserCtxt(&sax, nil, nil, 0, nil)
        if let context {
            let options = Int32(XML_PARSE_NOENT.rawValue | XML_PARSE_NONET.rawValue | XML_PARSE_NOCDATA.rawValue)
            xmlCtxtUseOptions(context, options)
            context.pointee._private = Unmanaged.passUnretained(self).toOpaque()
        }
    }

    deinit {
        if let context {
            if let document = context.pointee.myDoc {
                xmlFreeDoc(document)
                context.pointee.myDoc = nil
            }
            xmlFreeParserCtxt(context)
        }
    }

    /// The current line (1-based) in the input.
    var line: Int {
        guard let input = context?.pointee.input else { return 0 }
        return Int(input.pointee.line)
    }

    /// The current column (1-based) in the input.
    var column: Int {
        guard let input = context?.pointee.input else { return 0 }
        return Int(input.pointee.col)
    }

    /// Parses the next chunk of the document; throws the first error (well-formedness or from the handler).
    func feed(_ chunk: UnsafeRawBufferPointer) throws {
        try push(chunk, terminate: false)
    }

    /// Signals the end of the document; throws if it is incomplete or if any error occurred.
    func finish() throws {
        try push(UnsafeRawBufferPointer(start: nil, count: 0), terminate: true)
    }

    private func push(_ chunk: UnsafeRawBufferPointer, terminate: Bool) throws {
        guard let context else {
            throw RDFSyntaxError(file: documentName, line: 0, column: 0, message: "libxml2 could not create a parser (out of memory)")
        }
        if let failure { throw failure }
        var offset = 0
        // xmlParseChunk takes an Int32 size; feed at most 64 MiB at a time.
        repeat {
            let size = min(chunk.count - offset, 1 << 26)
            let pointer = chunk.baseAddress.map { ($0 + offset).assumingMemoryBound(to: CChar.self) }
            bytesFed += size
            let isLast = terminate && offset + size == chunk.count
            let status = xmlParseChunk(context, pointer, Int32(size), isLast ? 1 : 0)
            if let failure { throw failure }
            if status != 0 || context.pointee.wellFormed == 0 {
                throw libxml2Failure(status: status)
            }
            offset += size
        } while offset < chunk.count
    }

    /// The error libxml2 recorded last, as an `RDFSyntaxError`.
    private func libxml2Failure(status: Int32) -> RDFSyntaxError {
        if let context, let error = xmlCtxtGetLastError(context), error.pointee.code != 0 {
            return positionedError(from: error.pointee)
        }
        return RDFSyntaxError(file: documentName, line: line, column: column,
                              message: "XML is not well-formed (libxml2 error \(status))")
    }

    private func positionedError(from error: xmlError) -> RDFSyntaxError {
        var message = error.message.map { String(cString: $0) } ?? "XML is not well-formed (libxml2 error \(error.code))"
        while message.last == "\n" || message.last == " " { message.removeLast() }
        let line = error.line > 0 ? Int(error.line) : self.line
        let column = error.int2 > 0 ? Int(error.int2) : self.column
        return RDFSyntaxError(file: documentName, line: line, column: column, message: "XML error: " + message)
    }

    /// Records the first failure and stops libxml2.
    fileprivate func fail(_ error: any Error) {
        if failure == nil {
            if let handlerFailure = error as? XMLHandlerFailure {
                failure = RDFSyntaxError(file: documentName, line: line, column: column, message: handlerFailure.message)
            } else {
                failure = error
            }
        }
        if let context { xmlStopParser(context) }
    }

    fileprivate func record(libxml2Error error: xmlError) {
        // Warnings are not failures; errors and fatal errors are.
        guard error.level == XML_ERR_ERROR || error.level == XML_ERR_FATAL else { return }
        if failure == nil { failure = positionedError(from: error) }
        if let context { xmlStopParser(context) }
    }

    fileprivate func countEntityExpansion(_ characters: Int) -> Bool {
        entityCharacters += characters
        let allowed = XMLReaderLimits.baseEntityExpansion + XMLReaderLimits.entityExpansionPerInputByte * bytesFed
        if entityCharacters > allowed {
            fail(XMLHandlerFailure(message: "entity expansion exceeds \(allowed) characters (an entity expansion bomb?); parsing stopped"))
            return false
        }
        return true
    }

    fileprivate var hasFailed: Bool { failure != nil }

    private static let loaderInstalled: Bool = {
        xmlInitParser()
        xmlSetExternalEntityLoader(xmlReaderRefusingLoader)
        return true
    }()

    private static func installRefusingLoader() { _ = loaderInstalled }
}

// MARK: - C callbacks. Each receives the parser context (user_data is nil) and finds the reader in `_private`.

/// Runs `body` with the reader of a parser context, without retaining it (the reader outlives every callback).
@inline(__always)
private func withReader(_ context: UnsafeMutableRawPointer?, _ body: (XMLReader) -> Void) {
    guard let context else { return }
    let parser = context.assumingMemoryBound(to: xmlParserCtxt.self)
    guard let opaque = parser.pointee._private else { return }
    Unmanaged<XMLReader>.fromOpaque(opaque)._withUnsafeGuaranteedRef(body)
}

@inline(__always)
private func reader(_ context: UnsafeMutableRawPointer?) -> XMLReader? {
    guard let context else { return nil }
    let parser = context.assumingMemoryBound(to: xmlParserCtxt.self)
    guard let opaque = parser.pointee._private else { return nil }
    return Unmanaged<XMLReader>.fromOpaque(opaque).takeUnretainedValue()
}

private let xmlReaderStartElement: startElementNsSAX2Func = {
    context, localName, prefix, uri, namespaceCount, namespaces, attributeCount, _, attributes in
    withReader(context) { reader in
        guard !reader.hasFailed else { return }
        guard let localName else { return }
        let name = XMLElementName(localNamePointer: localName, namespacePointer: uri, prefixPointer: prefix)
        do {
            try reader.handler.startElement(
                name, namespaces: XMLNamespaceList(base: namespaces, count: Int(namespaceCount)),
                attributes: XMLAttributeList(base: attributes, count: Int(attributeCount)))
        } catch {
            reader.fail(error)
        }
    }
}

private let xmlReaderEndElement: endElementNsSAX2Func = { context, localName, prefix, uri in
    withReader(context) { reader in
        guard !reader.hasFailed else { return }
        guard let localName else { return }
        let name = XMLElementName(localNamePointer: localName, namespacePointer: uri, prefixPointer: prefix)
        do { try reader.handler.endElement(name) } catch { reader.fail(error) }
    }
}

private let xmlReaderCharacters: charactersSAXFunc = { context, characters, length in
    withReader(context) { reader in
        guard !reader.hasFailed, length > 0 else { return }
        do {
            try reader.handler.characters(UnsafeBufferPointer(start: characters, count: Int(length)))
        } catch {
            reader.fail(error)
        }
    }
}

private let xmlReaderProcessingInstruction: processingInstructionSAXFunc = { context, target, data in
    withReader(context) { reader in
        guard !reader.hasFailed else { return }
        do {
            try reader.handler.processingInstruction(target: XMLBytes(cString: target), data: XMLBytes(cString: data))
        } catch {
            reader.fail(error)
        }
    }
}

private let xmlReaderComment: commentSAXFunc = { context, text in
    withReader(context) { reader in
        guard !reader.hasFailed else { return }
        do { try reader.handler.comment(XMLBytes(cString: text)) } catch { reader.fail(error) }
    }
}

/// Looks entities up in the internal subset (libxml2's default) and counts their replacement text against the limit.
private let xmlReaderGetEntity: getEntitySAXFunc = { context, name in
    guard let entity = xmlSAX2GetEntity(context, name) else { return nil }
    guard let reader = reader(context) else { return entity }
    if reader.hasFailed { return nil }
    if entity.pointee.etype == XML_EXTERNAL_GENERAL_PARSED_ENTITY || entity.pointee.etype == XML_EXTERNAL_GENERAL_UNPARSED_ENTITY {
        let entityName = name.map { String(cString: $0) } ?? "?"
        let system = entity.pointee.SystemID.map { String(cString: $0) } ?? ""
        reader.fail(XMLHandlerFailure(message: "entity &\(entityName); refers to the external resource \"\(system)\", which is never loaded (external entities are disabled for safety); declare the entity's text inline instead"))
        return nil
    }
    if !reader.countEntityExpansion(Int(entity.pointee.length)) { return nil }
    return entity
}

/// Never resolves an external entity or DTD: nothing is read from disk or network on a document's behalf.
private let xmlReaderRefuseEntity: resolveEntitySAXFunc = { _, _, _ in nil }

/// The process-wide external entity loader: refuses every load.
private let xmlReaderRefusingLoader: xmlExternalEntityLoader = { _, _, _ in nil }

private let xmlReaderStructuredError: xmlStructuredErrorFunc = { context, error in
    guard let error, let reader = reader(context) else { return }
    reader.record(libxml2Error: error.pointee)
}
