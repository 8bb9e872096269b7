import RDF

/// The triples of one document, interned and held in memory between parsing and the load transaction.
///
/// Terms are interned to dense local indexes; triples are kept as three `Int32` per triple. Parsing into a buffer
/// first means a document that fails to parse never opens a write transaction.
public struct GraphBuffer: Sendable {
    /// The distinct terms, in order of first appearance.
    public private(set) var terms: [Term] = []
    /// Flat triples: entries 3i, 3i+1 and 3i+2 are the subject, predicate and object indexes of triple i.
    public private(set) var triples: [Int32] = []
    /// Namespace declarations (prefix, namespace) in document order.
    public private(set) var prefixes: [(String, String)] = []
    private var index: [Term: Int32] = [:]

    /// An empty buffer.
    public init() {}

    /// The number of triples added (before de-duplication).
    public var tripleCount: Int { triples.count / 3 }

    /// Adds one triple.
    public mutating func add(_ triple: Triple) {
        triples.append(intern(triple.subject))
        triples.append(intern(triple.predicate))
        triples.append(intern(triple.object))
    }

    /// Records a namespace declaration.
    public mutating func addPrefix(_ prefix: String, _ namespace: String) {
        prefixes.append((prefix, namespace))
    }

    private mutating func intern(_ term: Term) -> Int32 {
        if let existing = index[term] { return existing }
        let next = Int32(terms.count)
        terms.append(term)
        index[term] = next
        return next
    }
}
