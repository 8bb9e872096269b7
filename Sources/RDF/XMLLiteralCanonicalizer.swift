/// Builds the lexical form of an `rdf:XMLLiteral` from SAX events: Exclusive XML Canonicalization 1.0 with
/// comments and an empty InclusiveNamespaces PrefixList (<https://www.w3.org/TR/xml-exc-c14n/>), as RDF/XML
/// §7.2.17 (parseTypeLiteralPropertyElt) requires.
///
/// What the canonical form fixes: empty elements are written as a start and an end tag; a namespace
/// declaration is written on an element only when the element's name or one of its attributes' names uses
/// the prefix ("visibly utilizes" it) and no output ancestor inside the literal already declared the same
/// value; declarations come first, sorted by prefix (the default namespace first), then attributes sorted by
/// (namespace name, local name) with unqualified attributes first; attribute values use double quotes and
/// escape `& < "` and TAB, LF, CR as character references; text escapes `& < >` and CR.
struct XMLLiteralCanonicalizer {
    /// The canonical bytes written so far.
    private(set) var output: [UInt8] = []
    /// Namespace declarations rendered on open elements, innermost last, with the element depth that rendered them.
    private var rendered: [(prefix: [UInt8], namespace: [UInt8], depth: Int)] = []
    private var depth = 0

    /// Starts a new literal.
    mutating func reset() {
        output.removeAll(keepingCapacity: true)
        rendered.removeAll(keepingCapacity: true)
        depth = 0
    }

    /// The literal's lexical form.
    var lexicalForm: String { String(decoding: output, as: UTF8.self) }

    /// Writes a start tag with its visibly utilized namespace declarations and sorted attributes.
    mutating func startElement(_ name: XMLElementName, attributes: XMLAttributeList) {
        depth += 1
        var declarations: [(prefix: [UInt8], namespace: [UInt8])] = []
        declareIfNeeded(prefix: Array(name.prefix.buffer), namespace: name.namespaceURI.map { Array($0.buffer) } ?? [],
                        into: &declarations)
        for attribute in attributes where !attribute.prefix.isEmpty && !isXMLPrefix(attribute.prefix) {
            declareIfNeeded(prefix: Array(attribute.prefix.buffer),
                            namespace: attribute.namespaceURI.map { Array($0.buffer) } ?? [], into: &declarations)
        }
        declarations.sort { $0.prefix.lexicographicallyPrecedes($1.prefix) }

        output.append(UInt8(ascii: "<"))
        appendQualifiedName(prefix: name.prefix, localName: name.localName)
        for declaration in declarations {
            if declaration.prefix.isEmpty {
                appendASCII(" xmlns=\"")
            } else {
                appendASCII(" xmlns:")
                output.append(contentsOf: declaration.prefix)
                appendASCII("=\"")
            }
            declaration.namespace.withUnsafeBufferPointer { appendEscaped($0, inAttribute: true) }
            output.append(UInt8(ascii: "\""))
        }
        let order = attributes.indices.sorted { left, right in
            let a = attributes[left], b = attributes[right]
            let namespaceA = a.namespaceURI?.buffer ?? UnsafeBufferPointer(start: nil, count: 0)
            let namespaceB = b.namespaceURI?.buffer ?? UnsafeBufferPointer(start: nil, count: 0)
            if !namespaceA.elementsEqual(namespaceB) { return namespaceA.lexicographicallyPrecedes(namespaceB) }
            return a.localName.buffer.lexicographicallyPrecedes(b.localName.buffer)
        }
        for index in order {
            let attribute = attributes[index]
            output.append(UInt8(ascii: " "))
            appendQualifiedName(prefix: attribute.prefix, localName: attribute.localName)
            appendASCII("=\"")
            appendEscaped(attribute.value.buffer, inAttribute: true)
            output.append(UInt8(ascii: "\""))
        }
        output.append(UInt8(ascii: ">"))
    }

    /// Writes an end tag and forgets the declarations its start tag rendered.
    mutating func endElement(_ name: XMLElementName) {
        appendASCII("</")
        appendQualifiedName(prefix: name.prefix, localName: name.localName)
        output.append(UInt8(ascii: ">"))
        while let last = rendered.last, last.depth == depth { rendered.removeLast() }
        depth -= 1
    }

    /// Writes character data, escaped.
    mutating func text(_ bytes: UnsafeBufferPointer<UInt8>) {
        appendEscaped(bytes, inAttribute: false)
    }

    /// Writes `<?target data?>` (no space when the data is empty).
    mutating func processingInstruction(target: XMLBytes, data: XMLBytes) {
        appendASCII("<?")
        output.append(contentsOf: target.buffer)
        if !data.isEmpty {
            output.append(UInt8(ascii: " "))
            output.append(contentsOf: data.buffer)
        }
        appendASCII("?>")
    }

    /// Writes `<!--text-->`.
    mutating func comment(_ text: XMLBytes) {
        appendASCII("<!--")
        output.append(contentsOf: text.buffer)
        appendASCII("-->")
    }

    /// Adds a declaration for `prefix` unless the nearest rendered one (or, for the default namespace,
    /// the implicit empty one) already binds it to `namespace`.
    private mutating func declareIfNeeded(prefix: [UInt8], namespace: [UInt8],
                                          into declarations: inout [(prefix: [UInt8], namespace: [UInt8])]) {
        let existing = rendered.last(where: { $0.prefix == prefix })
        if prefix.isEmpty {
            // The default namespace starts out empty: `xmlns=""` is needed only to undo a rendered one.
            if (existing?.namespace ?? []) == namespace { return }
        } else if let existing, existing.namespace == namespace {
            return
        }
        rendered.append((prefix, namespace, depth))
        declarations.append((prefix, namespace))
    }

    private func isXMLPrefix(_ prefix: XMLBytes) -> Bool {
        prefix.count == 3 && prefix[0] == UInt8(ascii: "x") && prefix[1] == UInt8(ascii: "m") && prefix[2] == UInt8(ascii: "l")
    }

    private mutating func appendQualifiedName(prefix: XMLBytes, localName: XMLBytes) {
        if !prefix.isEmpty {
            output.append(contentsOf: prefix.buffer)
            output.append(UInt8(ascii: ":"))
        }
        output.append(contentsOf: localName.buffer)
    }

    private mutating func appendASCII(_ text: StaticString) {
        output.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    private mutating func appendEscaped(_ bytes: UnsafeBufferPointer<UInt8>, inAttribute: Bool) {
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "&"): appendASCII("&amp;")
            case UInt8(ascii: "<"): appendASCII("&lt;")
            case UInt8(ascii: ">") where !inAttribute: appendASCII("&gt;")
            case UInt8(ascii: "\"") where inAttribute: appendASCII("&quot;")
            case 0x09 where inAttribute: appendASCII("&#x9;")
            case 0x0A where inAttribute: appendASCII("&#xA;")
            case 0x0D: appendASCII("&#xD;")
            default: output.append(byte)
            }
        }
    }
}
