/// An absolute IRI, stored as its string form (RDF 1.1 Concepts §3.2).
public struct IRI: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The IRI's characters, unescaped.
    public let value: String

    /// Wraps an IRI string; no validation is done here (parsers validate).
    public init(_ value: String) { self.value = value }

    /// `<value>` as N-Triples writes it.
    public var description: String { "<\(value)>" }

    public static func < (lhs: IRI, rhs: IRI) -> Bool { lhs.value < rhs.value }
}

/// A blank node, identified by a label that is unique within one document or store.
public struct BlankNode: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The label, without the `_:` prefix.
    public let id: String

    /// Wraps a blank node label (without `_:`).
    public init(_ id: String) { self.id = id }

    /// `_:id` as N-Triples writes it.
    public var description: String { "_:\(id)" }

    public static func < (lhs: BlankNode, rhs: BlankNode) -> Bool { lhs.id < rhs.id }
}

/// A literal: a lexical form with a datatype IRI and, for `rdf:langString`, a language tag (RDF 1.1 Concepts §3.3).
public struct Literal: Hashable, Sendable, CustomStringConvertible {
    /// The lexical form, unescaped.
    public let lexicalForm: String
    /// The datatype; `xsd:string` for simple literals, `rdf:langString` when a language tag is present.
    public let datatype: IRI
    /// The language tag, lower-cased (tags are case-insensitive), or nil.
    public let language: String?

    /// A typed literal (`xsd:string` by default).
    public init(_ lexicalForm: String, datatype: IRI = Vocabulary.XSD.string) {
        self.lexicalForm = lexicalForm
        self.datatype = datatype
        self.language = nil
    }

    /// A language-tagged string; the tag is normalised to lower case.
    public init(_ lexicalForm: String, language: String) {
        self.lexicalForm = lexicalForm
        self.datatype = Vocabulary.RDF.langString
        self.language = language.lowercased()
    }

    /// The literal in N-Triples syntax.
    public var description: String { NTriplesWriter.format(.literal(self)) }
}

/// An RDF term: the subject, predicate or object of a triple.
public enum Term: Hashable, Sendable, CustomStringConvertible {
    case iri(IRI)
    case blank(BlankNode)
    case literal(Literal)

    /// Shorthand for an IRI term.
    public static func iri(_ string: String) -> Term { .iri(IRI(string)) }

    /// The IRI if this term is one.
    public var iriValue: IRI? { if case .iri(let i) = self { return i } else { return nil } }
    /// The literal if this term is one.
    public var literalValue: Literal? { if case .literal(let l) = self { return l } else { return nil } }
    /// True for IRIs and blank nodes, the terms that may be subjects.
    public var isResource: Bool { if case .literal = self { return false } else { return true } }
    /// True for blank nodes.
    public var isBlank: Bool { if case .blank = self { return true } else { return false } }

    /// The term in N-Triples syntax.
    public var description: String { NTriplesWriter.format(self) }
}

/// An RDF triple. Parsers guarantee the subject is an IRI or blank node and the predicate an IRI.
public struct Triple: Hashable, Sendable, CustomStringConvertible {
    public var subject: Term
    public var predicate: Term
    public var object: Term

    /// Builds a triple from its three terms.
    public init(_ subject: Term, _ predicate: Term, _ object: Term) {
        self.subject = subject
        self.predicate = predicate
        self.object = object
    }

    /// The triple as one N-Triples line, without the newline.
    public var description: String { "\(subject) \(predicate) \(object) ." }
}
