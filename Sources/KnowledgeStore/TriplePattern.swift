import RDF

/// One position of a triple pattern: a concrete term or a named variable.
public enum PatternTerm: Hashable, Sendable, CustomStringConvertible {
    case term(Term)
    case variable(String)

    /// `?name` or the term in N-Triples syntax.
    public var description: String {
        switch self {
        case .term(let t): return t.description
        case .variable(let v): return "?" + v
        }
    }
}

/// A triple pattern `S P O` as `kgfuse query` takes it.
public struct TriplePattern: Hashable, Sendable {
    public var subject: PatternTerm
    public var predicate: PatternTerm
    public var object: PatternTerm

    /// Builds a pattern from its three positions.
    public init(_ subject: PatternTerm, _ predicate: PatternTerm, _ object: PatternTerm) {
        self.subject = subject
        self.predicate = predicate
        self.object = object
    }

    /// Parses `S P O` (an optional final `.` is allowed).
    ///
    /// Each term is `<IRI>`, a prefixed name `prefix:local` (from `prefixes`), `a` (rdf:type), a literal
    /// (`"text"`, `"text"@en`, `"text"^^<IRI>` or `^^prefix:local`, a bare integer, decimal or boolean), `_:label`,
    /// or a variable `?name`. Errors name the column of the offending term.
    public static func parse(_ text: String, prefixes: [String: String]) throws -> TriplePattern {
        var scanner = TermScanner(text: Array(text.unicodeScalars), prefixes: prefixes)
        var terms: [PatternTerm] = []
        while true {
            scanner.skipSpaces()
            if scanner.atEnd { break }
            if scanner.peek == "." && terms.count == 3 { scanner.advance(); continue }
            terms.append(try scanner.patternTerm())
        }
        guard terms.count == 3 else {
            throw StoreError(.badPattern, "a pattern has three terms (subject predicate object); found \(terms.count) in '\(text)'")
        }
        if case .term(let t) = terms[1], t.iriValue == nil {
            throw StoreError(.badPattern, "the predicate must be an IRI or a variable, not \(t)")
        }
        if case .term(let t) = terms[0], !t.isResource {
            throw StoreError(.badPattern, "the subject must be an IRI, a blank node or a variable, not \(t)")
        }
        return TriplePattern(terms[0], terms[1], terms[2])
    }

    /// Parses a single term, as `kgfuse describe` takes it (prefixed name, `<IRI>`, ...).
    public static func parseTerm(_ text: String, prefixes: [String: String]) throws -> Term {
        var scanner = TermScanner(text: Array(text.unicodeScalars), prefixes: prefixes)
        scanner.skipSpaces()
        let parsed = try scanner.patternTerm()
        scanner.skipSpaces()
        guard scanner.atEnd, case .term(let term) = parsed else {
            throw StoreError(.badPattern, "expected one term (an IRI, prefixed name or literal), got '\(text)'")
        }
        return term
    }
}

/// A small scanner for the terms of a pattern.
struct TermScanner {
    let text: [Unicode.Scalar]
    let prefixes: [String: String]
    var position = 0

    var atEnd: Bool { position >= text.count }
    var peek: Unicode.Scalar { text[position] }
    mutating func advance() { position += 1 }

    mutating func skipSpaces() {
        while !atEnd, peek == " " || peek == "\t" || peek == "\n" { advance() }
    }

    func error(_ message: String) -> StoreError {
        StoreError(.badPattern, "column \(position + 1): \(message)")
    }

    mutating func readWhile(_ ok: (Unicode.Scalar) -> Bool) -> String {
        var out = String.UnicodeScalarView()
        while !atEnd, ok(peek) { out.append(peek); advance() }
        return String(out)
    }

    mutating func patternTerm() throws -> PatternTerm {
        switch peek {
        case "?", "$":
            advance()
            let name = readWhile { $0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" }
            if name.isEmpty { throw error("a variable needs a name after '?'") }
            return .variable(name)
        default:
            return .term(try term())
        }
    }

    mutating func term() throws -> Term {
        switch peek {
        case "<":
            advance()
            let iri = readWhile { $0 != ">" }
            if atEnd { throw error("missing '>' after <\(iri)") }
            advance()
            return .iri(iri)
        case "_":
            advance()
            guard !atEnd, peek == ":" else { throw error("expected '_:' for a blank node") }
            advance()
            return .blank(BlankNode(readWhile { $0 != " " && $0 != "\t" }))
        case "\"":
            advance()
            var lexical = String.UnicodeScalarView()
            while true {
                if atEnd { throw error("unterminated string literal") }
                let c = peek
                advance()
                if c == "\"" { break }
                if c == "\\" && !atEnd {
                    let e = peek
                    advance()
                    switch e {
                    case "n": lexical.append("\n")
                    case "t": lexical.append("\t")
                    case "r": lexical.append("\r")
                    default: lexical.append(e)
                    }
                } else {
                    lexical.append(c)
                }
            }
            if !atEnd, peek == "@" {
                advance()
                let tag = readWhile { $0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" }
                if tag.isEmpty { throw error("empty language tag") }
                return .literal(Literal(String(lexical), language: tag))
            }
            if !atEnd, peek == "^" {
                advance()
                guard !atEnd, peek == "^" else { throw error("expected '^^' before a datatype") }
                advance()
                guard case .iri(let datatype) = try term() else { throw error("a datatype must be an IRI") }
                return .literal(Literal(String(lexical), datatype: datatype))
            }
            return .literal(Literal(String(lexical)))
        default:
            let word = readWhile { $0 != " " && $0 != "\t" && $0 != "\n" }
            if word == "a" { return .iri(Vocabulary.RDF.type) }
            if word == "true" || word == "false" { return .literal(Literal(word, datatype: Vocabulary.XSD.boolean)) }
            if let first = word.unicodeScalars.first, ("0"..."9").contains(first) || first == "-" || first == "+" {
                if Int(word) != nil { return .literal(Literal(word, datatype: Vocabulary.XSD.integer)) }
                if Double(word) != nil {
                    let isDecimal = !word.contains("e") && !word.contains("E")
                    return .literal(Literal(word, datatype: isDecimal ? Vocabulary.XSD.decimal : Vocabulary.XSD.double))
                }
            }
            guard let colon = word.firstIndex(of: ":") else {
                throw error("'\(word)' is not a term: use <IRI>, prefix:name, \"literal\" or ?variable")
            }
            let prefix = String(word[..<colon])
            guard let namespace = prefixes[prefix] else {
                let known = prefixes.keys.sorted().joined(separator: ", ")
                throw error("unknown prefix '\(prefix):' (known: \(known))")
            }
            return .iri(namespace + word[word.index(after: colon)...])
        }
    }
}
