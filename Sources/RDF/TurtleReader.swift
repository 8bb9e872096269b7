/// The byte-level state of one Turtle parse and its grammar productions (Turtle §6.5,
/// <https://www.w3.org/TR/turtle/#sec-grammar-grammar>). Terminals live in `TurtleReader+Terminals.swift`.
struct TurtleReader {
    let bytes: UnsafeBufferPointer<UInt8>
    let documentName: String?
    var position = 0
    var resolver: IRIResolver
    var prefixes: [String: String] = [:]
    var onPrefix: ((String, String) -> Void)?
    var freshBlankNodeCount = 0
    /// Current nesting of `[ ... ]` and `( ... )`, bounded so a hostile document cannot exhaust the stack.
    var nesting = 0
    static let maximumNesting = 128

    init(bytes: UnsafeBufferPointer<UInt8>, baseIRI: String?, documentName: String?) {
        self.bytes = bytes
        self.documentName = documentName
        self.resolver = IRIResolver(base: baseIRI)
    }

    // MARK: Cursor

    var atEnd: Bool { position >= bytes.count }
    /// The byte at the cursor, or 0 at the end of input.
    var current: UInt8 { position < bytes.count ? bytes[position] : 0 }
    /// The byte `offset` bytes after the cursor, or 0 past the end of input.
    func peek(_ offset: Int) -> UInt8 {
        let index = position + offset
        return index < bytes.count ? bytes[index] : 0
    }

    /// A syntax error at `offset` (default: the cursor), with 1-based line and column (columns count characters).
    func error(_ message: String, at offset: Int? = nil) -> RDFSyntaxError {
        let target = min(offset ?? position, bytes.count)
        var line = 1, column = 1, index = 0
        while index < target {
            let byte = bytes[index]
            if byte == 0x0A {
                line += 1; column = 1
            } else if byte == 0x0D {
                if index + 1 < bytes.count, bytes[index + 1] == 0x0A {} else { line += 1; column = 1 }
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
            index += 1
        }
        return RDFSyntaxError(file: documentName, line: line, column: column, message: message)
    }

    /// A short description of what is at the cursor, for error messages.
    var found: String {
        if atEnd { return "end of input" }
        let (scalar, _) = decodeScalar(at: position)
        if scalar.value < 0x21 { return "U+\(String(scalar.value, radix: 16, uppercase: true))" }
        return "'\(Character(scalar))'"
    }

    /// Skips white space (WS ::= #x20 | #x9 | #xD | #xA) and comments (`#` to the end of the line).
    mutating func skipWhitespace() {
        while !atEnd {
            let byte = current
            if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D {
                position += 1
            } else if byte == UInt8(ascii: "#") {
                while !atEnd, current != 0x0A, current != 0x0D { position += 1 }
            } else {
                return
            }
        }
    }

    /// Consumes `byte` after optional white space, or throws "expected `what`".
    mutating func expect(_ byte: UInt8, _ what: String) throws {
        skipWhitespace()
        guard !atEnd, current == byte else { throw error("expected \(what), found \(found)") }
        position += 1
    }

    /// True when the ASCII `word` is at the cursor (case-insensitively if asked) and is not followed by a name character.
    func atKeyword(_ word: String, caseInsensitive: Bool = false) -> Bool {
        var offset = 0
        for expected in word.utf8 {
            var byte = peek(offset)
            if caseInsensitive, byte >= 0x41, byte <= 0x5A { byte += 0x20 }
            if byte != expected { return false }
            offset += 1
        }
        let next = peek(offset)
        if next == UInt8(ascii: ":") || next == UInt8(ascii: "\\") || next == UInt8(ascii: "%") { return false }
        if position + offset >= bytes.count { return true }
        let (scalar, _) = decodeScalar(at: position + offset)
        return !BlankNodeLabel.isPNChars(scalar)
    }

    // MARK: Grammar

    /// turtleDoc ::= statement*
    mutating func parseDocument(onTriple: TripleHandler) throws {
        while true {
            skipWhitespace()
            if atEnd { return }
            try parseStatement(onTriple: onTriple)
        }
    }

    /// statement ::= directive | triples '.'
    mutating func parseStatement(onTriple: TripleHandler) throws {
        if current == UInt8(ascii: "@") {
            let start = position
            position += 1
            if atKeyword("prefix") {
                position += 6
                try parsePrefixDeclaration()
                try expect(UInt8(ascii: "."), "'.' after the @prefix directive")
            } else if atKeyword("base") {
                position += 4
                try parseBaseDeclaration()
                try expect(UInt8(ascii: "."), "'.' after the @base directive")
            } else {
                throw error("unknown directive: only @prefix and @base are Turtle directives", at: start)
            }
            return
        }
        if atKeyword("prefix", caseInsensitive: true) {
            position += 6
            try parsePrefixDeclaration()
            return
        }
        if atKeyword("base", caseInsensitive: true) {
            position += 4
            try parseBaseDeclaration()
            return
        }
        try parseTriples(onTriple: onTriple)
        try expect(UInt8(ascii: "."), "'.' at the end of the triples")
    }

    /// prefixID / sparqlPrefix after the keyword: PNAME_NS IRIREF
    mutating func parsePrefixDeclaration() throws {
        skipWhitespace()
        let prefixStart = position
        let prefix = try parsePrefixLabel()
        guard current == UInt8(ascii: ":") else {
            throw error("expected 'prefix:' (a prefix name followed by ':'), found \(found)", at: prefixStart)
        }
        position += 1
        skipWhitespace()
        guard current == UInt8(ascii: "<") else { throw error("expected the namespace IRI <...>, found \(found)") }
        let namespace = try parseIRIRef()
        prefixes[prefix] = namespace
        onPrefix?(prefix, namespace)
    }

    /// base / sparqlBase after the keyword: IRIREF, resolved against the current base.
    mutating func parseBaseDeclaration() throws {
        skipWhitespace()
        guard current == UInt8(ascii: "<") else { throw error("expected the base IRI <...>, found \(found)") }
        let base = try parseIRIRef()
        resolver = IRIResolver(base: base)
    }

    /// triples ::= subject predicateObjectList | blankNodePropertyList predicateObjectList?
    mutating func parseTriples(onTriple: TripleHandler) throws {
        if current == UInt8(ascii: "[") {
            let (node, isEmpty) = try parseBlankNodePropertyList(onTriple: onTriple)
            skipWhitespace()
            if isEmpty || current != UInt8(ascii: ".") {
                try parsePredicateObjectList(subject: node, onTriple: onTriple)
            }
            return
        }
        let subject = try parseSubject(onTriple: onTriple)
        try parsePredicateObjectList(subject: subject, onTriple: onTriple)
    }

    /// subject ::= iri | BlankNode | collection
    mutating func parseSubject(onTriple: TripleHandler) throws -> Term {
        switch current {
        case UInt8(ascii: "<"): return .iri(IRI(try parseIRIRef()))
        case UInt8(ascii: "_"): return .blank(try parseBlankNodeLabel())
        case UInt8(ascii: "("): return try parseCollection(onTriple: onTriple)
        case UInt8(ascii: "\""), UInt8(ascii: "'"):
            throw error("a literal cannot be the subject of a triple")
        default:
            if atKeyword("true") || atKeyword("false") || isNumberStart {
                throw error("a literal cannot be the subject of a triple")
            }
            if atKeyword("a") { throw error("'a' can only be used as a predicate") }
            guard startsPrefixedName else {
                throw error("expected a subject (an IRI, prefixed name, blank node or collection), found \(found)")
            }
            return .iri(IRI(try parsePrefixedName()))
        }
    }

    /// predicateObjectList ::= verb objectList (';' (verb objectList)?)*
    mutating func parsePredicateObjectList(subject: Term, onTriple: TripleHandler) throws {
        skipWhitespace()
        var predicate = try parseVerb()
        try parseObjectList(subject: subject, predicate: predicate, onTriple: onTriple)
        while true {
            skipWhitespace()
            guard current == UInt8(ascii: ";") else { return }
            while current == UInt8(ascii: ";") {
                position += 1
                skipWhitespace()
            }
            if atEnd || current == UInt8(ascii: ".") || current == UInt8(ascii: "]") { return }
            predicate = try parseVerb()
            try parseObjectList(subject: subject, predicate: predicate, onTriple: onTriple)
        }
    }

    /// verb ::= predicate | 'a'
    mutating func parseVerb() throws -> Term {
        if current == UInt8(ascii: "a"), atKeyword("a") {
            position += 1
            return .iri(Vocabulary.RDF.type)
        }
        if current == UInt8(ascii: "<") { return .iri(IRI(try parseIRIRef())) }
        if startsPrefixedName, !atKeyword("true"), !atKeyword("false") {
            return .iri(IRI(try parsePrefixedName()))
        }
        if atEnd { throw error("expected a predicate, found end of input") }
        throw error("expected a predicate (an IRI, a prefixed name or 'a'), found \(found)")
    }

    /// objectList ::= object (',' object)*
    mutating func parseObjectList(subject: Term, predicate: Term, onTriple: TripleHandler) throws {
        while true {
            skipWhitespace()
            let object = try parseObject(onTriple: onTriple)
            try onTriple(Triple(subject, predicate, object))
            skipWhitespace()
            guard current == UInt8(ascii: ",") else { return }
            position += 1
        }
    }

    /// object ::= iri | BlankNode | collection | blankNodePropertyList | literal
    mutating func parseObject(onTriple: TripleHandler) throws -> Term {
        if atEnd { throw error("expected an object, found end of input") }
        switch current {
        case UInt8(ascii: "<"): return .iri(IRI(try parseIRIRef()))
        case UInt8(ascii: "_"): return .blank(try parseBlankNodeLabel())
        case UInt8(ascii: "("): return try parseCollection(onTriple: onTriple)
        case UInt8(ascii: "["): return try parseBlankNodePropertyList(onTriple: onTriple).node
        case UInt8(ascii: "\""), UInt8(ascii: "'"): return .literal(try parseRDFLiteral())
        default:
            if isNumberStart { return .literal(try parseNumericLiteral()) }
            if atKeyword("true") {
                position += 4
                return .literal(Literal("true", datatype: Vocabulary.XSD.boolean))
            }
            if atKeyword("false") {
                position += 5
                return .literal(Literal("false", datatype: Vocabulary.XSD.boolean))
            }
            if atKeyword("a") { throw error("'a' can only be used as a predicate") }
            guard startsPrefixedName else {
                throw error("expected an object (an IRI, prefixed name, blank node, collection or literal), found \(found)")
            }
            return .iri(IRI(try parsePrefixedName()))
        }
    }

    /// blankNodePropertyList ::= '[' predicateObjectList ']', or ANON ::= '[' WS* ']' (then `isEmpty`).
    mutating func parseBlankNodePropertyList(onTriple: TripleHandler) throws -> (node: Term, isEmpty: Bool) {
        try enterNesting()
        defer { nesting -= 1 }
        position += 1
        let node = Term.blank(freshBlankNode())
        skipWhitespace()
        if current == UInt8(ascii: "]") {
            position += 1
            return (node, true)
        }
        try parsePredicateObjectList(subject: node, onTriple: onTriple)
        try expect(UInt8(ascii: "]"), "']' to close the blank node property list")
        return (node, false)
    }

    /// collection ::= '(' object* ')', as an rdf:first / rdf:rest list ending in rdf:nil.
    mutating func parseCollection(onTriple: TripleHandler) throws -> Term {
        try enterNesting()
        defer { nesting -= 1 }
        let start = position
        position += 1
        var items: [Term] = []
        while true {
            skipWhitespace()
            if atEnd { throw error("unterminated collection: expected ')'", at: start) }
            if current == UInt8(ascii: ")") { position += 1; break }
            items.append(try parseObject(onTriple: onTriple))
        }
        guard !items.isEmpty else { return .iri(Vocabulary.RDF.nil) }
        let nodes = items.map { _ in Term.blank(freshBlankNode()) }
        for (index, item) in items.enumerated() {
            try onTriple(Triple(nodes[index], .iri(Vocabulary.RDF.first), item))
            let rest = index + 1 < nodes.count ? nodes[index + 1] : .iri(Vocabulary.RDF.nil)
            try onTriple(Triple(nodes[index], .iri(Vocabulary.RDF.rest), rest))
        }
        return nodes[0]
    }

    /// Counts one more level of nesting, or throws when `maximumNesting` is exceeded.
    mutating func enterNesting() throws {
        guard nesting < TurtleReader.maximumNesting else {
            throw error("blank node property lists and collections are nested more than \(TurtleReader.maximumNesting) deep")
        }
        nesting += 1
    }

    /// A blank node no document label can name (see `TurtleParser`).
    mutating func freshBlankNode() -> BlankNode {
        freshBlankNodeCount += 1
        return BlankNode("anon\(freshBlankNodeCount)")
    }

    /// Maps a document label so it never equals a fresh label: `u…` and `anon<digits>` get a `u` prefix.
    static func documentLabel(_ label: String) -> String {
        if label.hasPrefix("u") { return "u" + label }
        if label.hasPrefix("anon"), label.count > 4, label.dropFirst(4).allSatisfy({ $0.isASCII && $0.isNumber }) {
            return "u" + label
        }
        return label
    }
}
