import RDF

/// Where the engine reads facts from: a triple-pattern lookup (nil = any term).
///
/// The knowledge store implements this over SQLite; `InMemoryGraph` implements it over an array.
/// The reasoner asks for one pattern per constant predicate its rules read, or for every triple
/// when some rule reads a variable predicate (RDFS and OWL 2 RL do).
public protocol FactSource {
    /// Calls `body` with each triple matching the pattern.
    func forEachTriple(subject: Term?, predicate: Term?, object: Term?, _ body: (Triple) throws -> Void) throws
}

/// An in-memory graph: a set of triples with a predicate index; the simplest `FactSource`.
public struct InMemoryGraph: FactSource, Sendable {
    /// The triples, without duplicates, in insertion order.
    public private(set) var triples: [Triple] = []
    private var seen: Set<Triple> = []
    private var byPredicate: [Term: [Int]] = [:]

    /// An empty graph, or one holding `triples`.
    public init(_ triples: [Triple] = []) {
        for triple in triples { insert(triple) }
    }

    /// Adds a triple (duplicates are ignored).
    public mutating func insert(_ triple: Triple) {
        guard seen.insert(triple).inserted else { return }
        byPredicate[triple.predicate, default: []].append(triples.count)
        triples.append(triple)
    }

    /// True when the graph holds `triple`.
    public func contains(_ triple: Triple) -> Bool { seen.contains(triple) }

    /// Number of triples.
    public var count: Int { triples.count }

    /// Calls `body` with each triple matching the pattern, using the predicate index when the predicate is given.
    public func forEachTriple(subject: Term?, predicate: Term?, object: Term?, _ body: (Triple) throws -> Void) throws {
        if let predicate {
            for index in byPredicate[predicate] ?? [] {
                let triple = triples[index]
                if (subject == nil || triple.subject == subject!) && (object == nil || triple.object == object!) { try body(triple) }
            }
            return
        }
        for triple in triples where (subject == nil || triple.subject == subject!) && (object == nil || triple.object == object!) {
            try body(triple)
        }
    }
}
