// The RDF/XML grammar (RDF 1.1 XML Syntax §7, <https://www.w3.org/TR/rdf-syntax-grammar/#section-Infoset-Grammar>)
// as a streaming state machine over SAX events: one frame per open element, triples emitted as soon as
// their three terms are known.

extension RDFXMLParser {
    /// What an open element is in the grammar, which decides how its children are read.
    enum FrameKind: UInt8 {
        /// `rdf:RDF` (§7.2.9): children are node elements.
        case root
        /// A node element (§7.2.11): children are property elements.
        case node
        /// A property element whose form is not known yet (§7.2.15 resource, §7.2.16 literal or §7.2.21 empty).
        case property
        /// `rdf:parseType="Resource"` (§7.2.18): children are property elements of a new blank node.
        case resourceProperty
        /// `rdf:parseType="Collection"` (§7.2.19): children are the node elements of a list.
        case collection
        /// `rdf:parseType="Literal"` or any other value (§7.2.17, §7.2.20): content is an XML literal.
        case literalProperty
    }

    /// A subject or object node: an IRI or a blank node label (kept smaller than `Term` so frames copy cheaply).
    struct Node {
        /// The IRI or the blank node label.
        var value: String
        /// True for a blank node.
        var isBlank: Bool

        /// The node as a term.
        @inline(__always)
        var term: Term { isBlank ? .blank(BlankNode(value)) : .iri(IRI(value)) }
    }

    /// The state of one open element.
    struct Frame {
        var kind: FrameKind
        /// True when this element's xml:base pushed a new base.
        var pushedBase = false
        /// Index of the element's base IRI in `Grammar.bases`.
        var base: Int
        /// Node kinds: the last `rdf:li` number used.
        var memberCounter = 0
        /// True when this element's xml:lang pushed a new language.
        var pushedLanguage = false
        /// Index of the xml:lang in scope in `Grammar.languages`.
        var language: Int
        /// Node kinds (`.node`, `.resourceProperty`): the node their property elements describe. Property
        /// kinds take their statement's subject from the node frame below them.
        var subject: Node
        /// Property kinds: the predicate.
        var predicate: IRI?
        /// Property kinds: the statement IRI from `rdf:ID`, for reification (§7.3).
        var reification: String?
        /// `.property`: the object node element's subject, once seen. `.collection`: the first list cell.
        var object: Node?
        /// `.collection`: the last list cell.
        var lastCell: Node?
        /// `.property`: `rdf:datatype`.
        var datatype: IRI?
        /// `.property`: the object given by `rdf:resource` or `rdf:nodeID`.
        var resourceObject: Node?
        /// `.property`: property attributes, applied to the object of an empty property element.
        var propertyAttributes: [(predicate: IRI, object: Term)] = []
        /// The element's name (libxml2 dictionary strings, valid for the whole parse), for error messages.
        var localName: UnsafePointer<UInt8>?
        var prefix: UnsafePointer<UInt8>?

        init(kind: FrameKind, base: Int, language: Int, subject: Node, name: XMLElementName) {
            self.kind = kind
            self.base = base
            self.language = language
            self.subject = subject
            self.localName = name.localNamePointer
            self.prefix = name.prefixPointer
        }

        /// The element's qualified name as written.
        var qualifiedName: String {
            let local = XMLBytes(cString: localName).string
            guard let prefix else { return local }
            return XMLBytes(cString: prefix).string + ":" + local
        }
    }

    /// Receives XML events for a `Grammar` kept at a stable address (so its state is mutated in place,
    /// without the exclusivity checks and copies a class's stored properties would cost per event).
    final class GrammarDriver: XMLEventHandler {
        /// The grammar's state.
        let grammar: UnsafeMutablePointer<Grammar>

        init(baseIRI: String?, onPrefix: ((String, String) -> Void)?, onTriple: @escaping TripleHandler) {
            grammar = .allocate(capacity: 1)
            grammar.initialize(to: Grammar(baseIRI: baseIRI, onPrefix: onPrefix, onTriple: onTriple))
        }

        deinit {
            grammar.pointee.releaseBuffers()
            grammar.deinitialize(count: 1)
            grammar.deallocate()
        }

        func startElement(_ name: XMLElementName, namespaces: XMLNamespaceList, attributes: XMLAttributeList) throws {
            try grammar.pointee.startElement(name, namespaces: namespaces, attributes: attributes)
        }

        func endElement(_ name: XMLElementName) throws {
            try grammar.pointee.endElement(name)
        }

        func characters(_ bytes: UnsafeBufferPointer<UInt8>) throws {
            try grammar.pointee.characters(bytes)
        }

        func processingInstruction(target: XMLBytes, data: XMLBytes) throws {
            if grammar.pointee.capturingLiteral { grammar.pointee.canonicalizer.processingInstruction(target: target, data: data) }
        }

        func comment(_ text: XMLBytes) throws {
            if grammar.pointee.capturingLiteral { grammar.pointee.canonicalizer.comment(text) }
        }
    }

    /// The streaming RDF/XML grammar: turns XML events into triples.
    struct Grammar {
        private let rdfType = Term.iri(Vocabulary.RDF.type)
        private let rdfFirst = Term.iri(Vocabulary.RDF.first)
        private let rdfRest = Term.iri(Vocabulary.RDF.rest)
        private let rdfNil = Term.iri(Vocabulary.RDF.nil)
        private let rdfSubject = Term.iri(Vocabulary.RDF.subject)
        private let rdfPredicate = Term.iri(Vocabulary.RDF.predicate)
        private let rdfObject = Term.iri(Vocabulary.RDF.object)
        private let rdfStatement = Term.iri(Vocabulary.RDF.statement)
        private let xsdString = Vocabulary.XSD.string
        private let rdfNamespace = ByteConstants.rdfNamespace
        private let xmlNamespace = ByteConstants.xmlNamespace

        private let onTriple: TripleHandler
        private let onPrefix: ((String, String) -> Void)?
        private var frames: [Frame] = []
        /// Base IRIs in scope; index 0 is the document's.
        private var bases: [IRIResolver]
        /// xml:lang values in scope; index 0 is "none".
        private var languages: [String?] = [nil]
        /// An empty node for frames that have none of their own.
        private let noNode = Node(value: "", isBlank: false)
        /// Character data of the innermost `.property` element that has no object node yet.
        private var text = TextBuffer()
        private var terms = TermFactory()
        /// IRIs made from rdf:ID so far; each may be made only once (§5.3 / §7.2.22 constraint-id).
        private var usedIDs: Set<String> = []
        /// The XML literal being captured, while `capturingLiteral`.
        fileprivate(set) var canonicalizer = XMLLiteralCanonicalizer()
        /// Elements open inside the XML literal being captured.
        private var literalDepth = 0
        /// True while inside a `rdf:parseType="Literal"` property element.
        fileprivate(set) var capturingLiteral = false
        private var sawDocumentElement = false

        init(baseIRI: String?, onPrefix: ((String, String) -> Void)?, onTriple: @escaping TripleHandler) {
            self.onTriple = onTriple
            self.onPrefix = onPrefix
            self.bases = [IRIResolver(base: baseIRI)]
            frames.reserveCapacity(64)
        }

        /// Frees the character-data buffer (called once, by the driver, before the grammar is destroyed).
        func releaseBuffers() { text.deallocate() }

        /// True when the document had a document element and every element was closed.
        var isComplete: Bool { sawDocumentElement && frames.isEmpty }

        // MARK: XML events

        mutating func startElement(_ name: XMLElementName, namespaces: XMLNamespaceList, attributes: XMLAttributeList) throws {
            if let onPrefix {
                for declaration in namespaces {
                    onPrefix(declaration.prefix.string, declaration.namespaceURI.string)
                }
            }
            if capturingLiteral {
                literalDepth += 1
                canonicalizer.startElement(name, attributes: attributes)
                return
            }
            // xml:base and xml:lang apply to the element itself and its content (§6.1.2, XML Base §4.2).
            let parentIndex = frames.count - 1
            var base = parentIndex >= 0 ? frames[parentIndex].base : 0
            var language = parentIndex >= 0 ? frames[parentIndex].language : 0
            var pushedBase = false
            var pushedLanguage = false
            for attribute in attributes {
                guard attribute.isInNamespace(xmlNamespace) else { continue }
                if attribute.localNameIs(ByteConstants.base) {
                    let resolved = try resolve(attribute.value, base: base)
                    bases.append(IRIResolver(base: resolved))
                    base = bases.count - 1
                    pushedBase = true
                } else if attribute.localNameIs(ByteConstants.lang) {
                    languages.append(attribute.value.isEmpty ? nil : attribute.value.string)
                    language = languages.count - 1
                    pushedLanguage = true
                }
            }

            if parentIndex < 0 {
                sawDocumentElement = true
                if name.isInNamespace(rdfNamespace) && SyntaxName.classify(name.localName) == .RDF {
                    var frame = Frame(kind: .root, base: base, language: language, subject: noNode, name: name)
                    frame.pushedBase = pushedBase
                    frame.pushedLanguage = pushedLanguage
                    frames.append(frame)
                } else {
                    _ = try startNodeElement(name, attributes: attributes, base: base, pushedBase: pushedBase, pushedLanguage: pushedLanguage, language: language)
                }
                return
            }

            switch frames[parentIndex].kind {
            case .root:
                _ = try startNodeElement(name, attributes: attributes, base: base, pushedBase: pushedBase, pushedLanguage: pushedLanguage, language: language)
            case .node, .resourceProperty:
                try startPropertyElement(name, attributes: attributes, base: base, pushedBase: pushedBase,
                                         pushedLanguage: pushedLanguage, language: language, parentIndex: parentIndex)
            case .property:
                // resourcePropertyElt (§7.2.15): the content is exactly one node element.
                if frames[parentIndex].object != nil {
                    throw XMLHandlerFailure(message: "property element <\(frames[parentIndex].qualifiedName)> may contain only one node element")
                }
                if !text.isWhitespace {
                    throw XMLHandlerFailure(message: "property element <\(frames[parentIndex].qualifiedName)> mixes text with a node element; use rdf:parseType=\"Literal\" for XML content")
                }
                if frames[parentIndex].datatype != nil || frames[parentIndex].resourceObject != nil
                    || !frames[parentIndex].propertyAttributes.isEmpty {
                    throw XMLHandlerFailure(message: "property element <\(frames[parentIndex].qualifiedName)> has rdf:resource, rdf:nodeID, rdf:datatype or property attributes, so it must be empty, but it contains a node element")
                }
                text.removeAll()
                let object = try startNodeElement(name, attributes: attributes, base: base, pushedBase: pushedBase, pushedLanguage: pushedLanguage, language: language)
                frames[parentIndex].object = object
                try emit(frames[parentIndex - 1].subject.term, .iri(frames[parentIndex].predicate!), object.term)
            case .collection:
                let object = try startNodeElement(name, attributes: attributes, base: base, pushedBase: pushedBase, pushedLanguage: pushedLanguage, language: language)
                let cell = terms.freshBlankNode()
                if let last = frames[parentIndex].lastCell {
                    try emit(last.term, rdfRest, cell.term)
                } else {
                    frames[parentIndex].object = cell
                    try emit(frames[parentIndex - 1].subject.term, .iri(frames[parentIndex].predicate!), cell.term)
                }
                frames[parentIndex].lastCell = cell
                try emit(cell.term, rdfFirst, object.term)
            case .literalProperty:
                // Not reached: capturingLiteral is set while a literal property element is open.
                literalDepth += 1
                canonicalizer.startElement(name, attributes: attributes)
            }
        }

        mutating func endElement(_ name: XMLElementName) throws {
            if capturingLiteral && literalDepth > 0 {
                literalDepth -= 1
                canonicalizer.endElement(name)
                return
            }
            let top = frames.count - 1
            guard top >= 0 else { return }
            switch frames[top].kind {
            case .root, .node, .resourceProperty:
                break
            case .property:
                try finishPropertyElement(top)
            case .collection:
                if let last = frames[top].lastCell {
                    try emit(last.term, rdfRest, rdfNil)
                } else {
                    try emit(frames[top - 1].subject.term, .iri(frames[top].predicate!), rdfNil)
                }
                try reify(top, object: frames[top].object?.term ?? rdfNil)
            case .literalProperty:
                capturingLiteral = false
                let literal = Term.literal(Literal(canonicalizer.lexicalForm, datatype: Vocabulary.RDF.xmlLiteral))
                try emit(frames[top - 1].subject.term, .iri(frames[top].predicate!), literal)
                try reify(top, object: literal)
            }
            if frames[top].pushedBase { bases.removeLast() }
            if frames[top].pushedLanguage { languages.removeLast() }
            frames.removeLast()
        }

        mutating func characters(_ bytes: UnsafeBufferPointer<UInt8>) throws {
            if capturingLiteral {
                canonicalizer.text(bytes)
                return
            }
            let top = frames.count - 1
            guard top >= 0 else { return }
            if frames[top].kind == .property && frames[top].object == nil {
                text.append(bytes)
                return
            }
            if !RDFXMLParser.isWhitespace(bytes) {
                let sample = String(decoding: bytes.prefix(40), as: UTF8.self).trimmingWhitespace()
                throw XMLHandlerFailure(message: "text \"\(sample)\" is not allowed inside <\(frames[top].qualifiedName)>, which may contain only elements")
            }
        }

        // MARK: Productions

        /// nodeElement (§7.2.11): works out the subject, emits the type and property-attribute triples, pushes a frame.
        private mutating func startNodeElement(_ name: XMLElementName, attributes: XMLAttributeList, base: Int, pushedBase: Bool,
                                               pushedLanguage: Bool, language: Int) throws -> Node {
            guard let namespace = name.namespacePointer else {
                throw XMLHandlerFailure(message: "element <\(name.localName.string)> has no namespace, so it names no IRI; declare its namespace")
            }
            let isRDFNamespace = name.isInNamespace(rdfNamespace)
            let syntaxName = isRDFNamespace ? SyntaxName.classify(name.localName) : .other
            switch syntaxName {
            case .RDF, .ID, .about, .bagID, .parseType, .resource, .nodeID, .datatype, .li, .aboutEach, .aboutEachPrefix:
                throw XMLHandlerFailure(message: "\(syntaxName.qualifiedName) is not allowed as a node element (RDF/XML §7.2.11)")
            case .Description, .type, .other:
                break
            }

            var idValue: XMLBytes?
            var aboutValue: XMLBytes?
            var nodeIDValue: XMLBytes?
            var hasPropertyAttributes = false
            for attribute in attributes {
                switch try classifyAttribute(attribute) {
                case .ignored:
                    continue
                case .syntax(let attributeName):
                    switch attributeName {
                    case .ID: idValue = attribute.value
                    case .about: aboutValue = attribute.value
                    case .nodeID: nodeIDValue = attribute.value
                    case .type, .other: hasPropertyAttributes = true
                    case .li: throw XMLHandlerFailure(message: "rdf:li is not allowed as an attribute")
                    case .bagID, .aboutEach, .aboutEachPrefix:
                        throw XMLHandlerFailure(message: "\(attributeName.qualifiedName) was removed from RDF/XML in 2004 and is not allowed")
                    case .RDF, .Description, .parseType, .resource, .datatype:
                        throw XMLHandlerFailure(message: "\(attributeName.qualifiedName) is not allowed on a node element (RDF/XML §7.2.11)")
                    }
                case .property:
                    hasPropertyAttributes = true
                }
            }
            let identifierCount = (idValue == nil ? 0 : 1) + (aboutValue == nil ? 0 : 1) + (nodeIDValue == nil ? 0 : 1)
            if identifierCount > 1 {
                throw XMLHandlerFailure(message: "a node element may have only one of rdf:ID, rdf:about and rdf:nodeID")
            }
            let subject: Node
            if let idValue {
                subject = Node(value: try identifierIRI(idValue, base: base), isBlank: false)
            } else if let aboutValue {
                subject = Node(value: try resolve(aboutValue, base: base), isBlank: false)
            } else if let nodeIDValue {
                subject = try blankNode(nodeID: nodeIDValue)
            } else {
                subject = terms.freshBlankNode()
            }
            var frame = Frame(kind: .node, base: base, language: language, subject: subject, name: name)
            frame.pushedBase = pushedBase
            frame.pushedLanguage = pushedLanguage
            frames.append(frame)

            if syntaxName != .Description {
                try emit(subject.term, rdfType, .iri(terms.nameIRI(namespace: namespace, localName: name.localNamePointer)))
            }
            if hasPropertyAttributes {
                for attribute in attributes {
                    if let (predicate, object) = try propertyAttribute(attribute, base: base, language: language) {
                        try emit(subject.term, .iri(predicate), object)
                    }
                }
            }
            return subject
        }

        /// Property elements (§7.2.14 to §7.2.21): works out the predicate and the form from the attributes.
        private mutating func startPropertyElement(_ name: XMLElementName, attributes: XMLAttributeList, base: Int, pushedBase: Bool,
                                                   pushedLanguage: Bool, language: Int, parentIndex: Int) throws {
            guard let namespace = name.namespacePointer else {
                throw XMLHandlerFailure(message: "element <\(name.localName.string)> has no namespace, so it names no property; declare its namespace")
            }
            let predicate: IRI
            if name.isInNamespace(rdfNamespace) {
                let syntaxName = SyntaxName.classify(name.localName)
                switch syntaxName {
                case .RDF, .ID, .about, .bagID, .parseType, .resource, .nodeID, .datatype, .Description, .aboutEach, .aboutEachPrefix:
                    throw XMLHandlerFailure(message: "\(syntaxName.qualifiedName) is not allowed as a property element (RDF/XML §7.2.14)")
                case .li:
                    frames[parentIndex].memberCounter += 1
                    predicate = terms.memberProperty(frames[parentIndex].memberCounter)
                case .type, .other:
                    predicate = terms.nameIRI(namespace: namespace, localName: name.localNamePointer)
                }
            } else {
                predicate = terms.nameIRI(namespace: namespace, localName: name.localNamePointer)
            }

            var idValue: XMLBytes?
            var parseTypeValue: XMLBytes?
            var resourceValue: XMLBytes?
            var nodeIDValue: XMLBytes?
            var datatypeValue: XMLBytes?
            var hasPropertyAttributes = false
            for attribute in attributes {
                switch try classifyAttribute(attribute) {
                case .ignored:
                    continue
                case .syntax(let attributeName):
                    switch attributeName {
                    case .ID: idValue = attribute.value
                    case .parseType: parseTypeValue = attribute.value
                    case .resource: resourceValue = attribute.value
                    case .nodeID: nodeIDValue = attribute.value
                    case .datatype: datatypeValue = attribute.value
                    case .type, .other: hasPropertyAttributes = true
                    case .li: throw XMLHandlerFailure(message: "rdf:li is not allowed as an attribute")
                    case .bagID, .aboutEach, .aboutEachPrefix:
                        throw XMLHandlerFailure(message: "\(attributeName.qualifiedName) was removed from RDF/XML in 2004 and is not allowed")
                    case .RDF, .Description, .about:
                        throw XMLHandlerFailure(message: "\(attributeName.qualifiedName) is not allowed on a property element (RDF/XML §7.2.14)")
                    }
                case .property:
                    hasPropertyAttributes = true
                }
            }

            frames.append(Frame(kind: .property, base: base, language: language, subject: noNode, name: name))
            let top = parentIndex + 1
            frames[top].pushedBase = pushedBase
            frames[top].pushedLanguage = pushedLanguage
            frames[top].predicate = predicate
            if let idValue {
                frames[top].reification = try identifierIRI(idValue, base: base)
            }

            if let parseTypeValue {
                if resourceValue != nil || nodeIDValue != nil || datatypeValue != nil || hasPropertyAttributes {
                    throw XMLHandlerFailure(message: "rdf:parseType cannot be combined with rdf:resource, rdf:nodeID, rdf:datatype or property attributes on <\(frames[top].qualifiedName)>")
                }
                if parseTypeValue.equals(ByteConstants.resourceParseType) {
                    // parseTypeResourcePropertyElt (§7.2.18)
                    let node = terms.freshBlankNode()
                    try emit(frames[parentIndex].subject.term, .iri(predicate), node.term)
                    try reify(top, object: node.term)
                    frames[top].kind = .resourceProperty
                    frames[top].subject = node
                    frames[top].reification = nil
                } else if parseTypeValue.equals(ByteConstants.collection) {
                    // parseTypeCollectionPropertyElt (§7.2.19)
                    frames[top].kind = .collection
                } else {
                    // parseTypeLiteralPropertyElt (§7.2.17) and parseTypeOtherPropertyElt (§7.2.20)
                    frames[top].kind = .literalProperty
                    capturingLiteral = true
                    literalDepth = 0
                    canonicalizer.reset()
                }
                return
            }

            if resourceValue != nil && nodeIDValue != nil {
                throw XMLHandlerFailure(message: "a property element may not have both rdf:resource and rdf:nodeID")
            }
            if datatypeValue != nil && (resourceValue != nil || nodeIDValue != nil || hasPropertyAttributes) {
                throw XMLHandlerFailure(message: "rdf:datatype cannot be combined with rdf:resource, rdf:nodeID or property attributes on <\(frames[top].qualifiedName)>")
            }
            if let resourceValue {
                frames[top].resourceObject = Node(value: try resolve(resourceValue, base: base), isBlank: false)
            } else if let nodeIDValue {
                frames[top].resourceObject = try blankNode(nodeID: nodeIDValue)
            }
            if let datatypeValue {
                frames[top].datatype = try datatypeIRI(datatypeValue, base: base)
            }
            if hasPropertyAttributes {
                var pairs: [(predicate: IRI, object: Term)] = []
                for attribute in attributes {
                    if let pair = try propertyAttribute(attribute, base: base, language: language) {
                        pairs.append(pair)
                    }
                }
                frames[top].propertyAttributes = pairs
            }
            text.removeAll()
        }

        /// Ends a `.property` element: resourcePropertyElt, literalPropertyElt or emptyPropertyElt (§7.2.15, §7.2.16, §7.2.21).
        private mutating func finishPropertyElement(_ index: Int) throws {
            if let object = frames[index].object {
                try reify(index, object: object.term)
                return
            }
            let object: Term
            if let datatype = frames[index].datatype {
                object = .literal(Literal(text.string, datatype: datatype))
            } else if frames[index].resourceObject != nil || !frames[index].propertyAttributes.isEmpty {
                if !text.isWhitespace {
                    throw XMLHandlerFailure(message: "property element <\(frames[index].qualifiedName)> has rdf:resource, rdf:nodeID or property attributes, so it must be empty, but it contains text")
                }
                object = (frames[index].resourceObject ?? terms.freshBlankNode()).term
                for (predicate, value) in frames[index].propertyAttributes {
                    try emit(object, .iri(predicate), value)
                }
            } else {
                let lexicalForm = text.string
                if let language = languages[frames[index].language] {
                    object = .literal(Literal(lexicalForm, language: language))
                } else {
                    object = .literal(Literal(lexicalForm, datatype: xsdString))
                }
            }
            text.removeAll()
            try emit(frames[index - 1].subject.term, .iri(frames[index].predicate!), object)
            try reify(index, object: object)
        }

        // MARK: Attributes

        /// How an attribute takes part in the grammar (§6.1.4).
        private enum AttributeRole {
            /// xml:*, or a name XML reserves (starting with "xml"): not RDF.
            case ignored
            /// An attribute in the rdf: namespace (or one of the unqualified legacy forms).
            case syntax(SyntaxName)
            /// A property attribute in another namespace.
            case property
        }

        private mutating func classifyAttribute(_ attribute: XMLAttribute) throws -> AttributeRole {
            guard attribute.namespacePointer != nil else {
                let local = attribute.localName
                if RDFXMLParser.startsWithXML(local) { return .ignored }
                // Unqualified ID, about, resource, parseType and type are read as rdf: names (§6.1.4, backwards compatibility).
                let name = SyntaxName.classify(local)
                switch name {
                case .ID, .about, .resource, .parseType, .type: return .syntax(name)
                default:
                    throw XMLHandlerFailure(message: "attribute \(local.string)=\"…\" has no namespace; RDF/XML property attributes must be namespace-qualified")
                }
            }
            if attribute.isInNamespace(rdfNamespace) { return .syntax(SyntaxName.classify(attribute.localName)) }
            if attribute.hasXMLPrefix || attribute.isInNamespace(xmlNamespace) { return .ignored }
            return .property
        }

        /// The predicate and object of a property attribute (propertyAttr §7.2.11, rdf:type as an IRI), or nil for other attributes.
        private mutating func propertyAttribute(_ attribute: XMLAttribute, base: Int, language: Int) throws -> (IRI, Term)? {
            switch try classifyAttribute(attribute) {
            case .ignored:
                return nil
            case .syntax(let name):
                switch name {
                case .type:
                    return (Vocabulary.RDF.type, .iri(IRI(try resolve(attribute.value, base: base))))
                case .other:
                    return (terms.nameIRI(namespace: attribute.namespacePointer!, localName: attribute.localNamePointer),
                            literal(attribute.value, language: language))
                default:
                    return nil
                }
            case .property:
                return (terms.nameIRI(namespace: attribute.namespacePointer!, localName: attribute.localNamePointer),
                        literal(attribute.value, language: language))
            }
        }

        private mutating func literal(_ value: XMLBytes, language index: Int) -> Term {
            if let language = languages[index] { return .literal(Literal(value.string, language: language)) }
            return .literal(Literal(value.string, datatype: xsdString))
        }

        // MARK: Terms

        /// Resolves an IRI reference against the base in scope (RFC 3986 §5.2); absolute IRIs without dot segments are used as they are.
        private mutating func resolve(_ reference: XMLBytes, base: Int) throws -> String {
            if RDFXMLParser.isAbsoluteWithoutDotSegments(reference) { return reference.string }
            let text = reference.string
            guard let resolved = bases[base].resolve(text) else {
                throw XMLHandlerFailure(message: "relative IRI \"\(text)\" cannot be resolved: there is no base IRI (give one, or use xml:base)")
            }
            return resolved
        }

        /// The IRI of `rdf:datatype`, interned (documents use a handful of datatypes many times).
        private mutating func datatypeIRI(_ reference: XMLBytes, base: Int) throws -> IRI {
            if RDFXMLParser.isAbsoluteWithoutDotSegments(reference) { return terms.valueIRI(reference) }
            return IRI(try resolve(reference, base: base))
        }

        /// The IRI of `rdf:ID="name"`: `#name` resolved against the base; checks NCName and uniqueness (§7.2.22 idAttr).
        private mutating func identifierIRI(_ value: XMLBytes, base: Int) throws -> String {
            let name = value.string
            guard RDFXMLParser.isNCName(name) else {
                throw XMLHandlerFailure(message: "rdf:ID \"\(name)\" is not a valid XML name (NCName): it must start with a letter or \"_\" and contain no \":\", \"/\" or spaces")
            }
            guard let resolved = bases[base].resolve("#" + name) else {
                throw XMLHandlerFailure(message: "rdf:ID \"\(name)\" cannot be turned into an IRI: there is no base IRI (give one, or use xml:base)")
            }
            guard usedIDs.insert(resolved).inserted else {
                throw XMLHandlerFailure(message: "rdf:ID \"\(name)\" is used twice with the same base, giving <\(resolved)> twice")
            }
            return resolved
        }

        /// The blank node of `rdf:nodeID="name"` (§7.2.24); checks NCName.
        private mutating func blankNode(nodeID value: XMLBytes) throws -> Node {
            let name = value.string
            guard RDFXMLParser.isNCName(name) else {
                throw XMLHandlerFailure(message: "rdf:nodeID \"\(name)\" is not a valid XML name (NCName): it must start with a letter or \"_\" and contain no \":\" or spaces")
            }
            return terms.blankNode(nodeID: name)
        }

        // MARK: Output

        @inline(__always)
        private mutating func emit(_ subject: Term, _ predicate: Term, _ object: Term) throws {
            try onTriple(Triple(subject, predicate, object))
        }

        /// Reification of a statement made by the property element `frames[index]` with rdf:ID (§7.3).
        private mutating func reify(_ index: Int, object: Term) throws {
            guard let statementIRI = frames[index].reification else { return }
            let statement = Term.iri(IRI(statementIRI))
            try emit(statement, rdfType, rdfStatement)
            try emit(statement, rdfSubject, frames[index - 1].subject.term)
            try emit(statement, rdfPredicate, .iri(frames[index].predicate!))
            try emit(statement, rdfObject, object)
        }
    }
}

extension String {
    /// The string without leading and trailing XML white space.
    fileprivate func trimmingWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }
}

extension RDFXMLParser {
    /// A growable byte buffer for character data, emptied without freeing (the grammar owns exactly one
    /// and frees it with `deallocate()`; it is never copied).
    struct TextBuffer {
        private var start = UnsafeMutablePointer<UInt8>.allocate(capacity: 4096)
        private var capacity = 4096
        /// The number of bytes held.
        private(set) var count = 0

        /// Appends bytes, doubling the capacity when needed.
        mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
            guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
            if count + bytes.count > capacity {
                var newCapacity = capacity * 2
                while count + bytes.count > newCapacity { newCapacity *= 2 }
                let newStart = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
                newStart.update(from: start, count: count)
                start.deallocate()
                start = newStart
                capacity = newCapacity
            }
            (start + count).update(from: source, count: bytes.count)
            count += bytes.count
        }

        /// Forgets the content, keeping the memory.
        mutating func removeAll() { count = 0 }

        /// The content decoded as UTF-8.
        var string: String { String(decoding: UnsafeBufferPointer(start: start, count: count), as: UTF8.self) }

        /// True when the content is only XML white space.
        var isWhitespace: Bool { RDFXMLParser.isWhitespace(UnsafeBufferPointer(start: start, count: count)) }

        /// Frees the memory; the buffer must not be used afterwards.
        func deallocate() { start.deallocate() }
    }
}
