import RDF

/// An `swrl:Imp` that cannot be turned into a rule: which resource, and what is wrong with it.
public struct SWRLImportError: Error, Sendable, CustomStringConvertible {
    /// The `swrl:Imp` resource (or the atom inside it) at fault.
    public var resource: Term
    /// What is wrong.
    public var message: String

    /// Creates an error.
    public init(resource: Term, message: String) {
        self.resource = resource
        self.message = message
    }

    /// `SWRL rule <iri>: message`.
    public var description: String { "SWRL rule \(resource): \(message)" }
}

/// Reads the SWRL rules of an ontology from its RDF: `swrl:Imp` resources with `swrl:body` and `swrl:head`
/// atom lists (SWRL submission §5, <https://www.w3.org/Submission/SWRL/#5>).
///
/// Atoms: `swrl:ClassAtom` (classPredicate, argument1), `swrl:IndividualPropertyAtom` and
/// `swrl:DatavaluedPropertyAtom` (propertyPredicate, argument1, argument2), `swrl:SameIndividualAtom` and
/// `swrl:DifferentIndividualsAtom` (argument1, argument2; owl:sameAs / owl:differentFrom), `swrl:BuiltinAtom`
/// (builtin, arguments as an rdf:List). Resources typed `swrl:Variable` are variables, named by their IRI's
/// fragment (or last path segment); other arguments are constants. `swrl:DataRangeAtom` is not supported and
/// is reported as an error. Lists may be `swrl:AtomList` or `rdf:List` nodes (both use rdf:first / rdf:rest).
public enum SWRLImport {
    static let swrl = SWRLVocabulary.namespace
    static let first = Term.iri(Vocabulary.RDF.namespace + "first")
    static let rest = Term.iri(Vocabulary.RDF.namespace + "rest")
    static let nilList = Term.iri(Vocabulary.RDF.namespace + "nil")
    static let type = Term.iri(Vocabulary.RDF.type)

    static func swrlTerm(_ local: String) -> Term { .iri(swrl + local) }

    /// Every `swrl:Imp` of the graph as a rule, in a stable order (by the Imp's N-Triples form).
    /// Rule ids are the Imp IRI's local name, or `swrl-rule-<n>` for blank Imps; `rdfs:label` / `rdfs:comment`
    /// become the description.
    public static func rules(from graph: some FactSource) throws -> [Rule] {
        var imps: [Term] = []
        try graph.forEachTriple(subject: nil, predicate: type, object: swrlTerm("Imp")) { imps.append($0.subject) }
        imps.sort { $0.description < $1.description }
        var rules: [Rule] = []
        var seenIDs: Set<String> = []
        for (index, imp) in imps.enumerated() {
            var id: String
            if case .iri(let iri) = imp { id = localName(iri.value) } else { id = "swrl-rule-\(index + 1)" }
            if !seenIDs.insert(id).inserted { id += "-\(index + 1)"; seenIDs.insert(id) }
            let label = try objects(graph, imp, .iri(Vocabulary.RDFS.label)).first
            let comment = try objects(graph, imp, .iri(Vocabulary.RDFS.namespace + "comment")).first
            let description = [label, comment].compactMap { term -> String? in
                if case .literal(let literal) = term { return literal.lexicalForm } else { return nil }
            }.joined(separator: ": ")
            guard let bodyList = try objects(graph, imp, swrlTerm("body")).first else {
                throw SWRLImportError(resource: imp, message: "has no swrl:body")
            }
            guard let headList = try objects(graph, imp, swrlTerm("head")).first else {
                throw SWRLImportError(resource: imp, message: "has no swrl:head")
            }
            let body = try list(graph, bodyList, owner: imp).map { try atom(graph, $0, owner: imp) }
            var head: [TripleAtom] = []
            for node in try list(graph, headList, owner: imp) {
                guard case .triple(let triple) = try atom(graph, node, owner: imp) else {
                    throw SWRLImportError(resource: imp, message: "a built-in atom cannot be a head atom")
                }
                head.append(triple)
            }
            guard !head.isEmpty else { throw SWRLImportError(resource: imp, message: "has an empty head") }
            rules.append(Rule(id: id, description: description.isEmpty ? nil : description, body: body, head: head))
        }
        return rules
    }

    static func localName(_ iri: String) -> String {
        if let hash = iri.lastIndex(of: "#"), iri.index(after: hash) < iri.endIndex { return String(iri[iri.index(after: hash)...]) }
        if let slash = iri.lastIndex(of: "/"), iri.index(after: slash) < iri.endIndex { return String(iri[iri.index(after: slash)...]) }
        return iri
    }

    static func objects(_ graph: some FactSource, _ subject: Term, _ predicate: Term) throws -> [Term] {
        var result: [Term] = []
        try graph.forEachTriple(subject: subject, predicate: predicate, object: nil) { result.append($0.object) }
        return result
    }

    static func list(_ graph: some FactSource, _ head: Term, owner: Term) throws -> [Term] {
        var items: [Term] = []
        var node = head
        var visited: Set<Term> = []
        while node != nilList {
            guard visited.insert(node).inserted else { throw SWRLImportError(resource: owner, message: "an atom list is cyclic") }
            let firsts = try objects(graph, node, first), rests = try objects(graph, node, rest)
            guard firsts.count == 1, rests.count == 1 else {
                throw SWRLImportError(resource: owner, message: "list node \(node) needs exactly one rdf:first and one rdf:rest")
            }
            items.append(firsts[0])
            node = rests[0]
        }
        return items
    }

    static func single(_ graph: some FactSource, _ node: Term, _ local: String, owner: Term) throws -> Term {
        let values = try objects(graph, node, swrlTerm(local))
        guard values.count == 1 else {
            throw SWRLImportError(resource: owner, message: "atom \(node) needs exactly one swrl:\(local), has \(values.count)")
        }
        return values[0]
    }

    static func argument(_ graph: some FactSource, _ term: Term) throws -> RuleTerm {
        var isVariable = false
        try graph.forEachTriple(subject: term, predicate: type, object: swrlTerm("Variable")) { _ in isVariable = true }
        guard isVariable else { return .constant(term) }
        switch term {
        case .iri(let iri): return .variable(localName(iri.value).filter { $0.isLetter || $0.isNumber || $0 == "_" })
        case .blank(let node): return .variable("b_" + node.id.filter { $0.isLetter || $0.isNumber || $0 == "_" })
        case .literal: return .constant(term)
        }
    }

    static func atom(_ graph: some FactSource, _ node: Term, owner: Term) throws -> BodyAtom {
        let types = Set(try objects(graph, node, type))
        func argumentPair() throws -> (RuleTerm, RuleTerm) {
            (try argument(graph, try single(graph, node, "argument1", owner: owner)),
             try argument(graph, try single(graph, node, "argument2", owner: owner)))
        }
        if types.contains(swrlTerm("ClassAtom")) {
            let classTerm = try single(graph, node, "classPredicate", owner: owner)
            guard case .iri = classTerm else {
                throw SWRLImportError(resource: owner, message: "class atom \(node): only named classes are supported, not \(classTerm)")
            }
            return .triple(TripleAtom(try argument(graph, try single(graph, node, "argument1", owner: owner)), .constant(.iri(Vocabulary.RDF.type)), .constant(classTerm)))
        }
        if types.contains(swrlTerm("IndividualPropertyAtom")) || types.contains(swrlTerm("DatavaluedPropertyAtom")) {
            let property = try single(graph, node, "propertyPredicate", owner: owner)
            let (a, b) = try argumentPair()
            return .triple(TripleAtom(a, .constant(property), b))
        }
        if types.contains(swrlTerm("SameIndividualAtom")) {
            let (a, b) = try argumentPair()
            return .triple(TripleAtom(a, .constant(.iri(Vocabulary.OWL.sameAs)), b))
        }
        if types.contains(swrlTerm("DifferentIndividualsAtom")) {
            let (a, b) = try argumentPair()
            return .triple(TripleAtom(a, .constant(.iri(Vocabulary.OWL.namespace + "differentFrom")), b))
        }
        if types.contains(swrlTerm("BuiltinAtom")) {
            let builtIn = try single(graph, node, "builtin", owner: owner)
            guard case .iri(let name) = builtIn else {
                throw SWRLImportError(resource: owner, message: "built-in atom \(node): swrl:builtin must be an IRI")
            }
            let arguments = try list(graph, try single(graph, node, "arguments", owner: owner), owner: owner).map { try argument(graph, $0) }
            return .builtIn(name: name.value, arguments: arguments)
        }
        if types.contains(swrlTerm("DataRangeAtom")) {
            throw SWRLImportError(resource: owner, message: "swrl:DataRangeAtom is not supported")
        }
        throw SWRLImportError(resource: owner, message: "atom \(node) has no SWRL atom type (types: \(types.map(\.description).sorted()))")
    }
}
