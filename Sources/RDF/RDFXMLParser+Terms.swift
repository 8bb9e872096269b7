#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Term construction for the RDF/XML parser: names as IRIs (interned), IRI resolution, blank nodes,
// and the NCName check rdf:ID and rdf:nodeID need (RDF/XML §5.1, §7.2.{22,25}).

extension RDFXMLParser {
    /// The names of the RDF/XML syntax (RDF/XML §5.1) that the grammar treats specially.
    enum SyntaxName {
        case RDF, ID, about, bagID, parseType, resource, nodeID, datatype, li, Description, aboutEach, aboutEachPrefix, type
        /// Any other name in the rdf: namespace (rdf:value, rdf:_1, rdf:Seq, ...): an ordinary IRI.
        case other

        /// The name as written with the `rdf:` prefix, for error messages.
        var qualifiedName: String { "rdf:\(self)" }

        /// Classifies a local name in the rdf: namespace.
        static func classify(_ local: XMLBytes) -> SyntaxName {
            switch local.count {
            case 2:
                if local.equals(ByteConstants.ID) { return .ID }
                if local.equals(ByteConstants.li) { return .li }
            case 3:
                if local.equals(ByteConstants.RDF) { return .RDF }
            case 4:
                if local.equals(ByteConstants.type) { return .type }
            case 5:
                if local.equals(ByteConstants.about) { return .about }
                if local.equals(ByteConstants.bagID) { return .bagID }
            case 6:
                if local.equals(ByteConstants.nodeID) { return .nodeID }
            case 8:
                if local.equals(ByteConstants.resource) { return .resource }
                if local.equals(ByteConstants.datatype) { return .datatype }
            case 9:
                if local.equals(ByteConstants.parseType) { return .parseType }
                if local.equals(ByteConstants.aboutEach) { return .aboutEach }
            case 11:
                if local.equals(ByteConstants.Description) { return .Description }
            case 15:
                if local.equals(ByteConstants.aboutEachPrefix) { return .aboutEachPrefix }
            default:
                break
            }
            return .other
        }
    }

    /// Byte constants compared against libxml2's names.
    enum ByteConstants {
        static let rdfNamespace = StaticBytes("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
        static let xmlNamespace = StaticBytes("http://www.w3.org/XML/1998/namespace")
        static let ID = StaticBytes("ID")
        static let li = StaticBytes("li")
        static let RDF = StaticBytes("RDF")
        static let type = StaticBytes("type")
        static let about = StaticBytes("about")
        static let bagID = StaticBytes("bagID")
        static let nodeID = StaticBytes("nodeID")
        static let resource = StaticBytes("resource")
        static let datatype = StaticBytes("datatype")
        static let parseType = StaticBytes("parseType")
        static let aboutEach = StaticBytes("aboutEach")
        static let Description = StaticBytes("Description")
        static let aboutEachPrefix = StaticBytes("aboutEachPrefix")
        static let base = StaticBytes("base")
        static let lang = StaticBytes("lang")
        static let literal = StaticBytes("Literal")
        static let resourceParseType = StaticBytes("Resource")
        static let collection = StaticBytes("Collection")
    }

    /// Builds the terms of one document: interned name IRIs, resolved IRIs, blank nodes.
    struct TermFactory {
        /// Name IRIs in an open-addressing table keyed by the addresses of the local name and the namespace
        /// name, which libxml2 interns in its dictionary for the whole parse. Each slot also records where
        /// its namespace bytes are kept in `namespaceArena`; they are compared on every hit, so a reused
        /// address can never return a wrong IRI. Capacity is a power of two, at most half full.
        private var slotLocalNames: [UnsafeRawPointer?] = Array(repeating: nil, count: 256)
        private var slotNamespaces: [UnsafeRawPointer?] = Array(repeating: nil, count: 256)
        private var slotNamespaceRanges: [Range<Int>] = Array(repeating: 0..<0, count: 256)
        private var slotIRIs: [IRI] = Array(repeating: IRI(""), count: 256)
        private var slotCount = 0
        private var namespaceArena: [UInt8] = []
        /// IRIs of `rdf:_n` for `rdf:li`, by n - 1.
        private var memberProperties: [IRI] = []
        private var blankNodeCounter = 0
        /// Interned attribute-value IRIs (see `valueIRI`).
        private var values: [(bytes: [UInt8], iri: IRI)] = []

        /// The IRI `namespace + localName` of an element or attribute name (RDF/XML §6.1.2, §6.1.4), from
        /// libxml2's NUL-terminated names.
        mutating func nameIRI(namespace: UnsafePointer<UInt8>, localName: UnsafePointer<UInt8>) -> IRI {
            let local = UnsafeRawPointer(localName), namespaceAddress = UnsafeRawPointer(namespace)
            let mask = slotLocalNames.count - 1
            var index = TermFactory.slot(local: local, namespace: namespaceAddress) & mask
            while let occupant = slotLocalNames[index] {
                if occupant == local && slotNamespaces[index] == namespaceAddress {
                    // The arena keeps a NUL-terminated copy of the namespace name this slot was made from.
                    let offset = slotNamespaceRanges[index].lowerBound
                    let same = namespaceArena.withUnsafeBufferPointer { arena in
                        strcmp(UnsafeRawPointer(arena.baseAddress! + offset).assumingMemoryBound(to: CChar.self),
                               UnsafeRawPointer(namespace).assumingMemoryBound(to: CChar.self)) == 0
                    }
                    if same { return slotIRIs[index] }
                }
                index = (index + 1) & mask
            }
            let namespaceBytes = XMLBytes(cString: namespace)
            var value = namespaceBytes.string
            value += XMLBytes(cString: localName).string
            let iri = IRI(value)
            let rangeStart = namespaceArena.count
            namespaceArena.append(contentsOf: namespaceBytes.buffer)
            namespaceArena.append(0)
            insert(local: local, namespace: namespaceAddress, range: rangeStart..<namespaceArena.count, iri: iri)
            return iri
        }

        private static func slot(local: UnsafeRawPointer, namespace: UnsafeRawPointer) -> Int {
            let mixed = UInt(bitPattern: local) &* 0x9E37_79B9_7F4A_7C15 ^ (UInt(bitPattern: namespace) &* 0xC2B2_AE3D_27D4_EB4F)
            return Int(truncatingIfNeeded: mixed >> 17)
        }

        private mutating func insert(local: UnsafeRawPointer, namespace: UnsafeRawPointer, range: Range<Int>, iri: IRI) {
            if (slotCount + 1) * 2 > slotLocalNames.count { grow() }
            let mask = slotLocalNames.count - 1
            var index = TermFactory.slot(local: local, namespace: namespace) & mask
            while slotLocalNames[index] != nil { index = (index + 1) & mask }
            slotLocalNames[index] = local
            slotNamespaces[index] = namespace
            slotNamespaceRanges[index] = range
            slotIRIs[index] = iri
            slotCount += 1
        }

        private mutating func grow() {
            let oldLocalNames = slotLocalNames, oldNamespaces = slotNamespaces
            let oldRanges = slotNamespaceRanges, oldIRIs = slotIRIs
            let capacity = oldLocalNames.count * 2
            slotLocalNames = Array(repeating: nil, count: capacity)
            slotNamespaces = Array(repeating: nil, count: capacity)
            slotNamespaceRanges = Array(repeating: 0..<0, count: capacity)
            slotIRIs = Array(repeating: IRI(""), count: capacity)
            slotCount = 0
            for index in oldLocalNames.indices {
                if let local = oldLocalNames[index] {
                    insert(local: local, namespace: oldNamespaces[index]!, range: oldRanges[index], iri: oldIRIs[index])
                }
            }
        }

        /// `rdf:_n` (RDF/XML §7.4, list expansion of `rdf:li`).
        mutating func memberProperty(_ n: Int) -> IRI {
            while memberProperties.count < n {
                memberProperties.append(IRI(Vocabulary.RDF.namespace + "_\(memberProperties.count + 1)"))
            }
            return memberProperties[n - 1]
        }

        /// A blank node no other node of the document has: generated labels start with "g", nodeID labels with "n".
        mutating func freshBlankNode() -> Node {
            blankNodeCounter += 1
            return Node(value: "g" + String(blankNodeCounter), isBlank: true)
        }

        /// The blank node named by `rdf:nodeID` (document scope); prefixed so generated labels cannot clash.
        func blankNode(nodeID: String) -> Node {
            Node(value: "n" + nodeID, isBlank: true)
        }

        /// An absolute IRI given as an attribute value, interned among the first 32 distinct ones
        /// (for `rdf:datatype`, where a document repeats a handful of values).
        mutating func valueIRI(_ bytes: XMLBytes) -> IRI {
            for entry in values where entry.bytes.count == bytes.count {
                if entry.bytes.withUnsafeBufferPointer({ XMLBytes($0).equals(bytes) }) { return entry.iri }
            }
            let iri = IRI(bytes.string)
            if values.count < 32 { values.append((Array(bytes.buffer), iri)) }
            return iri
        }
    }

    /// True when `bytes` hold only XML white space (#x20, #x9, #xD, #xA).
    static func isWhitespace(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        for byte in bytes where byte != 0x20 && byte != 0x0A && byte != 0x09 && byte != 0x0D {
            return false
        }
        return true
    }

    /// True when the bytes start with `xml` in any case (names XML reserves, RDF/XML §6.1.2, §6.1.4).
    static func startsWithXML(_ bytes: XMLBytes) -> Bool {
        guard bytes.count >= 3 else { return false }
        return bytes[0] | 0x20 == UInt8(ascii: "x") && bytes[1] | 0x20 == UInt8(ascii: "m") && bytes[2] | 0x20 == UInt8(ascii: "l")
    }

    /// True when the reference has a scheme (RFC 3986 §3.1) and no `.` or `..` segment, so resolving it
    /// against any base returns it unchanged (RFC 3986 §5.2.2 with `remove_dot_segments` a no-op).
    /// Conservative: a "." right after "/" or after the scheme's ":" sends the reference to the full resolver.
    static func isAbsoluteWithoutDotSegments(_ reference: XMLBytes) -> Bool {
        guard let start = reference.start, reference.count > 1 else { return false }
        let end = start + reference.count
        let first = start.pointee | 0x20
        guard first >= UInt8(ascii: "a") && first <= UInt8(ascii: "z") else { return false }
        var cursor = start + 1
        while cursor < end {
            let byte = cursor.pointee
            if byte == UInt8(ascii: ":") { break }
            let lower = byte | 0x20
            let isSchemeCharacter = (lower >= UInt8(ascii: "a") && lower <= UInt8(ascii: "z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
            if !isSchemeCharacter { return false }
            cursor += 1
        }
        guard cursor < end else { return false }
        var previous = UInt8(ascii: ":")
        cursor += 1
        while cursor < end {
            let byte = cursor.pointee
            if byte == UInt8(ascii: ".") && (previous == UInt8(ascii: "/") || previous == UInt8(ascii: ":")) { return false }
            if byte == UInt8(ascii: "?") || byte == UInt8(ascii: "#") { break }
            previous = byte
            cursor += 1
        }
        return true
    }

    /// True when `name` matches NCName (Namespaces in XML 1.0 §3, with XML 1.0 fifth edition name characters).
    static func isNCName(_ name: String) -> Bool {
        var scalars = name.unicodeScalars.makeIterator()
        guard let first = scalars.next(), isNameStartCharacter(first) else { return false }
        while let scalar = scalars.next() {
            if !isNameCharacter(scalar) { return false }
        }
        return true
    }

    /// NameStartChar of XML 1.0 §2.3 without ":".
    private static func isNameStartCharacter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x41...0x5A, 0x5F, 0x61...0x7A, 0xC0...0xD6, 0xD8...0xF6, 0xF8...0x2FF, 0x370...0x37D,
             0x37F...0x1FFF, 0x200C...0x200D, 0x2070...0x218F, 0x2C00...0x2FEF, 0x3001...0xD7FF,
             0xF900...0xFDCF, 0xFDF0...0xFFFD, 0x10000...0xEFFFF:
            return true
        default:
            return false
        }
    }

    /// NameChar of XML 1.0 §2.3 without ":".
    private static func isNameCharacter(_ scalar: Unicode.Scalar) -> Bool {
        if isNameStartCharacter(scalar) { return true }
        switch scalar.value {
        case 0x2D, 0x2E, 0x30...0x39, 0xB7, 0x300...0x36F, 0x203F...0x2040: return true
        default: return false
        }
    }
}
