/// A knowledge graph split into train, valid and test triples, with entity and relation vocabularies.
///
/// Entities and relations are numbered in order of first appearance (train, then valid, then test), so the same
/// input always gives the same indices.
public struct TripleDataset: Sendable {
    /// Entity names; an entity's index in this array is its id in every `IndexedTriple`.
    public private(set) var entities: [String]
    /// Relation names; a relation's index in this array is its id in every `IndexedTriple`.
    public private(set) var relations: [String]
    /// Training triples.
    public internal(set) var train: [IndexedTriple]
    /// Validation triples (for choosing hyper-parameters or the epoch count).
    public internal(set) var valid: [IndexedTriple]
    /// Test triples (for the final filtered link-prediction figures).
    public internal(set) var test: [IndexedTriple]

    private var entityIndexByName: [String: Int32]
    private var relationIndexByName: [String: Int32]

    /// An empty dataset, filled by `add`.
    init() {
        entities = []
        relations = []
        train = []
        valid = []
        test = []
        entityIndexByName = [:]
        relationIndexByName = [:]
    }

    /// The index of the entity named `name`, or nil if it never occurs.
    public func entityIndex(of name: String) -> Int? {
        entityIndexByName[name].map(Int.init)
    }

    /// The index of the relation named `name`, or nil if it never occurs.
    public func relationIndex(of name: String) -> Int? {
        relationIndexByName[name].map(Int.init)
    }

    /// The triple of names `(head, relation, tail)` as indices, or nil if a name is unknown.
    public func indexed(head: String, relation: String, tail: String) -> IndexedTriple? {
        guard let h = entityIndexByName[head], let r = relationIndexByName[relation],
              let t = entityIndexByName[tail] else { return nil }
        return IndexedTriple(head: h, relation: r, tail: t)
    }

    /// The names of an indexed triple.
    public func names(of triple: IndexedTriple) -> (head: String, relation: String, tail: String) {
        (entities[Int(triple.head)], relations[Int(triple.relation)], entities[Int(triple.tail)])
    }

    /// Interns the three names, adding unseen ones to the vocabularies, and returns the indexed triple.
    mutating func intern(head: String, relation: String, tail: String) -> IndexedTriple {
        IndexedTriple(head: internEntity(head), relation: internRelation(relation), tail: internEntity(tail))
    }

    private mutating func internEntity(_ name: String) -> Int32 {
        if let index = entityIndexByName[name] { return index }
        let index = Int32(entities.count)
        entities.append(name)
        entityIndexByName[name] = index
        return index
    }

    private mutating func internRelation(_ name: String) -> Int32 {
        if let index = relationIndexByName[name] { return index }
        let index = Int32(relations.count)
        relations.append(name)
        relationIndexByName[name] = index
        return index
    }
}
