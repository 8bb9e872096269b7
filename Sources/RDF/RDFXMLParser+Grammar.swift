// The RDF/XML grammar (RDF 1.1 XML Syntax §7, <https://www.w3.org/TR/rdf-syntax-grammar/#section-Infoset-Grammar>)
// as a streaming state machine over SAX events: one frame per open element, triples emitted as soon as
// their three terms are known.

extension RDFXMLParser {
    /// What an open element is in the grammar, which decides how its children are read.
    enum FrameKind {
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

    /// The state of one open element.
    struct Frame {
        var kind: FrameKind
        /// Index of the element's base IRI in `Grammar.bases`.
        var base: Int
        /// True when this element's xml:base pushed a new base.
        var pushedBase = false
        /// The xml:lang in scope (nil when none or reset by `xml:lang=""`).
        var language: String?
        /// Node kinds: the node its property elements describe. Property kinds: the statement's subject.
        var subject: Term
        /// Property kinds: the predicate.
        var predicate: IRI = Grammar.placeholderIRI
        /// Node kinds: the last `rdf:li` number used.
        var memberCounter = 0
        /// Property kinds: the statement IRI from `rdf:ID`, for reification (§7.3).
        var reification: Term?
        /// `.property`: the object node element's subject, once seen. `.collection`: the first list cell.
        var object: Term?
        /// `.collection`: the last list cell.
        var lastCell: Term?
        /// `.property`: `rdf:datatype`.
        var datatype: IRI?
        /// `.property`: the object given by `rdf:resource` or `rdf:nodeID`.
        var resourceObject: Term?
        /// `.property`: property attributes, applied to the object of an empty property element.
        var propertyAttributes: [(predicate: IRI, object: Term)] = []
        /// The element's name as written, for error messages.
        var qualifiedName: String

        init(kind: FrameKind, base: Int, language: String?, subject: Term, qualifiedName: String) {
            self.kind = kind
            self.base = base
            self.language = language
            self.subject = subject
            self.qualifiedName = qualifiedName
        }
    }

    /// The streaming RDF/XML grammar: turns XML events into triples.
    final class Grammar: XMLEventHandler {
        static let placeholderIRI = IRI("")
        private static let placeholderTerm = Term.iri(placeholderIRI)
        private static let rdfType = Term.iri(Vocabulary.RDF.type)
        private static let rdfFirst = Term.iri(Vocabulary.RDF.first)
        private static let rdfRest = Term.iri(Vocabulary.RDF.rest)
        private static let rdfNil = Term.iri(Vocabulary.RDF.nil)
        private static let rdfSubject = Term.iri(Vocabulary.RDF.subject)
        private static let rdfPredicate = Term.iri(Vocabulary.RDF.predicate)
        private static let rdfObject = Term.iri(Vocabulary.RDF.object)
        private static let rdfStatement = Term.iri(Vocabulary.RDF.statement)

        private let onTriple: TripleHandler
        private let onPrefix: ((String, String) -> Void)?
        private var frames: [Frame] = []
        /// Base IRIs in scope; index 0 is the document's.
        private var bases: [IRIResolver]
        /// Character data of the innermost `.property` element that has no object node yet.
        private var text: [UInt8] = []
        private var terms = TermFactory()
        /// IRIs made from rdf:ID so far; each may be made only once (§5.3 / §7.2.22 constraint-id).
        private var usedIDs: Set<String> = []
        private var canonicalizer = XMLLiteralCanonicalizer()
        /// Elements open inside the XML literal being captured.
        private var literalDepth = 0
        private var capturingLiteral = false
        private var sawDocumentElement = false

        init(baseIRI: String?, onPrefix: ((String, String) -> Void)?, onTriple: @escaping TripleHandler) {
            self.onTriple = onTriple
            self.onPrefix = onPrefix
            self.bases = [IRIResolver(base: baseIRI)]
            frames.reserveCapacity(64)
        }

        /// True when the document had a document element and every element was closed.
        var isComplete: Bool { sawDocumentElement && frames.isEmpty }

        // MARK: XML events

        func startElement(_ name: XMLElementName, namespaces: XMLNamespaceList, attributes: XMLAttributeList) throws {
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
            var language = parentIndex >= 0 ? frames[parentIndex].language : nil
            var pushedBase = false
            for attribute in attributes {
                guard let namespace = attribute.namespaceURI, namespace.equals(ByteConstants.xmlNamespace) else { continue }
                if attribute.localName.equals(ByteConstants.base) {
                    let resolved = try resolve(attribute.value, base: base)
                    bases.append(IRIResolver(base: resolved))
                    base = bases.count - 1
                    pushedBase = true
                } else if attribute.localName.equals(ByteConstants.lang) {
                    language = attribute.value.isEmpty ? nil : attribute.value.string
                }
            }

            if parentIndex < 0 {
                sawDocumentElement = true
                if let namespace = name.namespaceURI, namespace.equals(ByteConstants.rdfNamespace),
                   SyntaxName.classify(name.localName) == .RDF {
                    var frame = Frame(kind: .root, base: base, language: language, subject: Grammar.placeholderTerm,
                                      qualifiedName: "rdf:RDF")
                    frame.pushedBase = pushedBase
                    frames.append(frame)
                } else {
                    _ = try startNodeElement(name, attributes: attributes, base: base, pushedBase: pushedBase, language: language)
                }
                return
            }

            switch frames[parentIndex].kind {
            case .root:
                _ = try startNodeElement(name, attributes: attributes, base: base, pushedBase: pushedBase, language: language)
            case .node, .resourceProperty:
                try startPropertyElement(name, attributes: attributes, base: base, pushedBase: pushedBase,
                                         language: language, parentIndex: parentIndex)
            case .property:
                // resourcePropertyElt (§7.2.15): the content is exactly one node element.
                if frames[parentIndex].object != nil {
                    throw XMLHandlerFailure(message: "property element <\(frames[parentIndex].qualifiedName)> may contain only one node element")
                }
                if !text.withUnsafeBufferPointer(RDFXMLParser.isWhitespace) {
                    throw XMLHandlerFailure(message: "property element <\(frames[parentIndex].qualifiedName)> mixes text with a node element; use rdf:parseType=\"Literal\" for XML content")
                }
                if frames[parentIndex].datatype != nil || frames[parentIndex].resourceObject != nil
                    || !frames[parentIndex].propertyAttributes.isEmpty {
                    throw XMLHandlerFailure(message: "property element <\(frames[parentIndex].qualifiedName)> has rdf:resource, rdf:nodeID, rdf:datatype or property attributes, so it must be empty, but it contains a node element")
                }
                text.removeAll(keepingCapacity: true)
                let object = try startNodeElement(name, attributes: attributes, base: base, pushedBase: pushedBase, language: language)
                frames[parentIndex].object = object
                try emit(frames[parentIndex].subject, .iri(frames[parentIndex].predicate), object)
            case .collection:
                let object = try startNodeElement(name, attributes: attributes, base: base, pushedBase: pushedBase, language: language)
                let cell = terms.freshBlankNode()
                if let last = frames[parentIndex].lastCell {
                    try emit(last, Grammar.rdfRest, cell)
                } else {
                    frames[parentIndex].object = cell
                    try emit(frames[parentIndex].subject, .iri(frames[parentIndex].predicate), cell)
                }
                frames[parentIndex].lastCell = cell
                try emit(cell, Grammar.rdfFirst, object)
            case .literalProperty:
                // Not reached: capturingLiteral is set while a literal property element is open.
                literalDepth += 1
                canonicalizer.startElement(name, attributes: attributes)
            }
        }

        func endElement(_ name: XMLElementName) throws {
            if capturingLiteral && literalDepth > 0 {
                literalDepth -= 1
                canonicalizer.endElement(name)
                return
            }
            guard let frame = frames.popLast() else { return }
            if frame.pushedBase { bases.removeLast() }
            switch frame.kind {
            case .root, .node, .resourceProperty:
                break
            case .property:
                try finishPropertyElement(frame)
            case .collection:
                if let last = frame.lastCell {
                    try emit(last, Grammar.rdfRest, Grammar.rdfNil)
                } else {
                    try emit(frame.subject, .iri(frame.predicate), Grammar.rdfNil)
                }
                try reify(frame, object: frame.object ?? Grammar.rdfNil)
            case .literalProperty:
                capturingLiteral = false
                let literal = Term.literal(Literal(canonicalizer.lexicalForm, datatype: Vocabulary.RDF.xmlLiteral))
                try emit(frame.subject, .iri(frame.predicate), literal)
                try reify(frame, object: literal)
            }
        }

        func characters(_ bytes: UnsafeBufferPointer<UInt8>) throws {
            if capturingLiteral {
                canonicalizer.text(bytes)
                return
            }
            let top = frames.count - 1
            guard top >= 0 else { return }
            if frames[top].kind == .property && frames[top].object == nil {
                text.append(contentsOf: bytes)
                return
            }
            if !RDFXMLParser.isWhitespace(bytes) {
                var sample = String(decoding: bytes.prefix(40), as: UTF8.self)
                sample = sample.trimmingWhitespace()
                throw XMLHandlerFailure(message: "text \"\(sample)\" is not allowed inside <\(frames[top].qualifiedName)>, which may contain only elements")
            }
        }

        func processingInstruction(target: XMLBytes, data: XMLBytes) throws {
            if capturingLiteral { canonicalizer.processingInstruction(target: target, data: data) }
        }

        func comment(_ text: XMLBytes) throws {
            if capturingLiteral { canonicalizer.comment(text) }
        }

        // MARK: Productions

        /// nodeElement (§7.2.11): works out the subject, emits the type and property-attribute triples, pushes a frame.
        private func startNodeElement(_ name: XMLElementName, attributes: XMLAttributeList, base: Int, pushedBase: Bool,
                                      language: String?) throws -> Term {
            guard let namespace = name.namespaceURI else {
                throw XMLHandlerFailure(message: "element <\(name.localName.string)> has no namespace, so it names no IRI; declare its namespace")
            }
            let isRDFNamespace = namespace.equals(ByteConstants.rdfNamespace)
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
            let subject: Term
            if let idValue {
                subject = .iri(IRI(try identifierIRI(idValue, base: base)))
            } else if let aboutValue {
                subject = .iri(IRI(try resolve(aboutValue, base: base)))
            } else if let nodeIDValue {
                subject = try blankNode(nodeID: nodeIDValue)
            } else {
                subject = terms.freshBlankNode()
            }
            var frame = Frame(kind: .node, base: base, language: language, subject: subject,
                              qualifiedName: qualifiedName(name))
            frame.pushedBase = pushedBase
            frames.append(frame)

            if syntaxName != .Description {
                try emit(subject, Grammar.rdfType, .iri(terms.nameIRI(namespace: namespace, localName: name.localName)))
            }
            if hasPropertyAttributes {
                for attribute in attributes {
                    if let (predicate, object) = try propertyAttribute(attribute, base: base, language: language) {
                        try emit(subject, .iri(predicate), object)
                    }
                }
            }
            return subject
        }

        /// Property elements (§7.2.14 to §7.2.21): works out the predicate and the form from the attributes.
        private func startPropertyElement(_ name: XMLElementName, attributes: XMLAttributeList, base: Int, pushedBase: Bool,
                                          language: String?, parentIndex: Int) throws {
            guard let namespace = name.namespaceURI else {
                throw XMLHandlerFailure(message: "element <\(name.localName.string)> has no namespace, so it names no property; declare its namespace")
            }
            let predicate: IRI
            if namespace.equals(ByteConstants.rdfNamespace) {
                let syntaxName = SyntaxName.classify(name.localName)
                switch syntaxName {
                case .RDF, .ID, .about, .bagID, .parseType, .resource, .nodeID, .datatype, .Description, .aboutEach, .aboutEachPrefix:
                    throw XMLHandlerFailure(message: "\(syntaxName.qualifiedName) is not allowed as a property element (RDF/XML §7.2.14)")
                case .li:
                    frames[parentIndex].memberCounter += 1
                    predicate = terms.memberProperty(frames[parentIndex].memberCounter)
                case .type, .other:
                    predicate = terms.nameIRI(namespace: namespace, localName: name.localName)
                }
            } else {
                predicate = terms.nameIRI(namespace: namespace, localName: name.localName)
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

            var frame = Frame(kind: .property, base: base, language: language, subject: frames[parentIndex].subject,
                              qualifiedName: qualifiedName(name))
            frame.pushedBase = pushedBase
            frame.predicate = predicate
            if let idValue {
                frame.reification = .iri(IRI(try identifierIRI(idValue, base: base)))
            }

            if let parseTypeValue {
                if resourceValue != nil || nodeIDValue != nil || datatypeValue != nil || hasPropertyAttributes {
                    throw XMLHandlerFailure(message: "rdf:parseType cannot be combined with rdf:resource, rdf:nodeID, rdf:datatype or property attributes on <\(frame.qualifiedName)>")
                }
                if parseTypeValue.equals(ByteConstants.resourceParseType) {
                    // parseTypeResourcePropertyElt (§7.2.18)
                    let node = terms.freshBlankNode()
                    try emit(frame.subject, .iri(predicate), node)
                    try reify(frame, object: node)
                    frame.kind = .resourceProperty
                    frame.subject = node
                    frame.reification = nil
                } else if parseTypeValue.equals(ByteConstants.collection) {
                    // parseTypeCollectionPropertyElt (§7.2.19)
                    frame.kind = .collection
                } else {
                    // parseTypeLiteralPropertyElt (§7.2.17) and parseTypeOtherPropertyElt (§7.2.20)
                    frame.kind = .literalProperty
                    capturingLiteral = true
                    literalDepth = 0
                    canonicalizer.reset()
                }
                frames.append(frame)
                return
            }

            if resourceValue != nil && nodeIDValue != nil {
                throw XMLHandlerFailure(message: "a property element may not have both rdf:resource and rdf:nodeID")
            }
            if datatypeValue != nil && (resourceValue != nil || nodeIDValue != nil || hasPropertyAttributes) {
                throw XMLHandlerFailure(message: "rdf:datatype cannot be combined with rdf:resource, rdf:nodeID or property attributes on <\(frame.qualifiedName)>")
            }
            if let resourceValue {
                frame.resourceObject = .iri(IRI(try resolve(resourceValue, base: base)))
            } else if let nodeIDValue {
                frame.resourceObject = try blankNode(nodeID: nodeIDValue)
            }
            if let datatypeValue {
                frame.datatype = IRI(try resolve(datatypeValue, base: base))
            }
            if hasPropertyAttributes {
                for attribute in attributes {
                    if let pair = try propertyAttribute(attribute, base: base, language: language) {
                        frame.propertyAttributes.append(pair)
                    }
                }
            }
            text.removeAll(keepingCapacity: true)
            frames.append(frame)
        }

        /// Ends a `.property` element: resourcePropertyElt, literalPropertyElt or emptyPropertyElt (§7.2.15, §7.2.16, §7.2.21).
        private func finishPropertyElement(_ frame: Frame) throws {
            if let object = frame.object {
                try reify(frame, object: object)
                return
            }
            let object: Term
            if let datatype = frame.datatype {
                object = .literal(Literal(String(decoding: text, as: UTF8.self), datatype: datatype))
            } else if frame.resourceObject != nil || !frame.propertyAttributes.isEmpty {
                if !text.withUnsafeBufferPointer(RDFXMLParser.isWhitespace) {
                    throw XMLHandlerFailure(message: "property element <\(frame.qualifiedName)> has rdf:resource, rdf:nodeID or property attributes, so it must be empty, but it contains text")
                }
                object = frame.resourceObject ?? terms.freshBlankNode()
                for (predicate, value) in frame.propertyAttributes {
                    try emit(object, .iri(predicate), value)
                }
            } else {
                let lexicalForm = String(decoding: text, as: UTF8.self)
                if let language = frame.language {
                    object = .literal(Literal(lexicalForm, language: language))
                } else {
                    object = .literal(Literal(lexicalForm))
                }
            }
            text.removeAll(keepingCapacity: true)
            try emit(frame.subject, .iri(frame.predicate), object)
            try reify(frame, object: object)
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

        private func classifyAttribute(_ attribute: XMLAttribute) throws -> AttributeRole {
            guard let namespace = attribute.namespaceURI else {
                if RDFXMLParser.startsWithXML(attribute.localName) { return .ignored }
                // Unqualified ID, about, resource, parseType and type are read as rdf: names (§6.1.4, backwards compatibility).
                let name = SyntaxName.classify(attribute.localName)
                switch name {
                case .ID, .about, .resource, .parseType, .type: return .syntax(name)
                default:
                    throw XMLHandlerFailure(message: "attribute \(attribute.localName.string)=\"…\" has no namespace; RDF/XML property attributes must be namespace-qualified")
                }
            }
            if RDFXMLParser.startsWithXML(attribute.prefix) || namespace.equals(ByteConstants.xmlNamespace) { return .ignored }
            if namespace.equals(ByteConstants.rdfNamespace) { return .syntax(SyntaxName.classify(attribute.localName)) }
            return .property
        }

        /// The predicate and object of a property attribute (propertyAttr §7.2.11, rdf:type as an IRI), or nil for other attributes.
        private func propertyAttribute(_ attribute: XMLAttribute, base: Int, language: String?) throws -> (IRI, Term)? {
            switch try classifyAttribute(attribute) {
            case .ignored:
                return nil
            case .syntax(let name):
                switch name {
                case .type:
                    return (Vocabulary.RDF.type, .iri(IRI(try resolve(attribute.value, base: base))))
                case .other:
                    return (terms.nameIRI(namespace: attribute.namespaceURI!, localName: attribute.localName),
                            literal(attribute.value, language: language))
                default:
                    return nil
                }
            case .property:
                return (terms.nameIRI(namespace: attribute.namespaceURI!, localName: attribute.localName),
                        literal(attribute.value, language: language))
            }
        }

        private func literal(_ value: XMLBytes, language: String?) -> Term {
            if let language { return .literal(Literal(value.string, language: language)) }
            return .literal(Literal(value.string))
        }

        // MARK: Terms

        /// Resolves an IRI reference against the base in scope (RFC 3986 §5.2); absolute IRIs without dot segments are used as they are.
        private func resolve(_ reference: XMLBytes, base: Int) throws -> String {
            if RDFXMLParser.isAbsoluteWithoutDotSegments(reference) { return reference.string }
            let text = reference.string
            guard let resolved = bases[base].resolve(text) else {
                throw XMLHandlerFailure(message: "relative IRI \"\(text)\" cannot be resolved: there is no base IRI (give one, or use xml:base)")
            }
            return resolved
        }

        /// The IRI of `rdf:ID="name"`: `#name` resolved against the base; checks NCName and uniqueness (§7.2.22 idAttr).
        private func identifierIRI(_ value: XMLBytes, base: Int) throws -> String {
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
        private func blankNode(nodeID value: XMLBytes) throws -> Term {
            let name = value.string
            guard RDFXMLParser.isNCName(name) else {
                throw XMLHandlerFailure(message: "rdf:nodeID \"\(name)\" is not a valid XML name (NCName): it must start with a letter or \"_\" and contain no \":\" or spaces")
            }
            return terms.blankNode(nodeID: name)
        }

        private func qualifiedName(_ name: XMLElementName) -> String {
            name.prefix.isEmpty ? name.localName.string : name.prefix.string + ":" + name.localName.string
        }

        // MARK: Output

        @inline(__always)
        private func emit(_ subject: Term, _ predicate: Term, _ object: Term) throws {
            try onTriple(Triple(subject, predicate, object))
        }

        /// Reification of a statement made by a property element with rdf:ID (§7.3).
        private func reify(_ frame: Frame, object: Term) throws {
            guard let statement = frame.reification else { return }
            try emit(statement, Grammar.rdfType, Grammar.rdfStatement)
            try emit(statement, Grammar.rdfSubject, frame.subject)
            try emit(statement, Grammar.rdfPredicate, .iri(frame.predicate))
            try emit(statement, Grammar.rdfObject, object)
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
