import RDF

/// How a term is stored in the `terms` table: a kind code, the value, and for literals the datatype and language.
///
/// Term ids are content hashes (63-bit FNV-1a of the encoded term), as Oxigraph does with its hashed strings: a
/// loader can compute every id without asking the database, which makes bulk loads a pure append. Blank nodes
/// are scoped to their graph by prefixing the graph id to the label, so two documents never share a blank node.
public struct StoredTerm: Hashable, Sendable {
    /// 0 = IRI, 1 = blank node, 2 = literal.
    public var kind: Int
    /// The IRI, the (graph-scoped) blank node label, or the literal's lexical form.
    public var value: String
    /// The datatype IRI of a literal, nil otherwise.
    public var datatype: String?
    /// The language tag of a literal, nil otherwise.
    public var language: String?

    /// Kind code of IRIs.
    public static let iriKind = 0
    /// Kind code of blank nodes.
    public static let blankKind = 1
    /// Kind code of literals.
    public static let literalKind = 2

    /// Encodes a term; blank nodes are scoped by `graphID`.
    public init(_ term: Term, graphID: Int64) {
        switch term {
        case .iri(let iri):
            self.init(kind: StoredTerm.iriKind, value: iri.value, datatype: nil, language: nil)
        case .blank(let node):
            self.init(kind: StoredTerm.blankKind, value: "g\(graphID)_" + node.id, datatype: nil, language: nil)
        case .literal(let literal):
            self.init(kind: StoredTerm.literalKind, value: literal.lexicalForm,
                      datatype: literal.datatype.value, language: literal.language)
        }
    }

    /// Encodes a term that is not a blank node (as queries use it); blank nodes keep their stored label.
    public init(queryTerm term: Term) {
        switch term {
        case .iri(let iri): self.init(kind: StoredTerm.iriKind, value: iri.value, datatype: nil, language: nil)
        case .blank(let node): self.init(kind: StoredTerm.blankKind, value: node.id, datatype: nil, language: nil)
        case .literal(let l): self.init(kind: StoredTerm.literalKind, value: l.lexicalForm, datatype: l.datatype.value, language: l.language)
        }
    }

    /// The `datatype` column as written: NULL for xsd:string and for language-tagged literals (rdf:langString),
    /// which `term` restores; most literals of an ontology are one of the two, so this keeps the table small.
    public var storedDatatype: String? {
        guard let datatype, language == nil, datatype != Vocabulary.XSD.string.value else { return nil }
        return datatype
    }

    /// Creates a stored term from its columns.
    public init(kind: Int, value: String, datatype: String?, language: String?) {
        self.kind = kind
        self.value = value
        self.datatype = datatype
        self.language = language
    }

    /// The RDF term; a blank node keeps its graph-scoped label, which is a valid N-Triples label.
    public var term: Term {
        switch kind {
        case StoredTerm.iriKind: return .iri(IRI(value))
        case StoredTerm.blankKind: return .blank(BlankNode(value))
        default:
            if let language { return .literal(Literal(value, language: language)) }
            return .literal(Literal(value, datatype: IRI(datatype ?? Vocabulary.XSD.string.value)))
        }
    }

    /// The term's id: FNV-1a 64 over kind, value, datatype and language (NUL-separated), masked to 63 bits, never 0.
    public var id: Int64 {
        var h = TermHashing.offsetBasis
        TermHashing.mix(&h, UInt8(kind))
        TermHashing.mix(&h, value)
        TermHashing.mix(&h, 0)
        if let datatype { TermHashing.mix(&h, datatype) }
        TermHashing.mix(&h, 0)
        if let language { TermHashing.mix(&h, language) }
        return TermHashing.finish(h)
    }
}
