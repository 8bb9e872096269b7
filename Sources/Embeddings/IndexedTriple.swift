/// A triple of vocabulary indices: head entity, relation, tail entity.
public struct IndexedTriple: Hashable, Sendable {
    /// Index of the head entity in `TripleDataset.entities`.
    public var head: Int32
    /// Index of the relation in `TripleDataset.relations`.
    public var relation: Int32
    /// Index of the tail entity in `TripleDataset.entities`.
    public var tail: Int32

    /// Creates a triple from three vocabulary indices.
    public init(head: Int32, relation: Int32, tail: Int32) {
        self.head = head
        self.relation = relation
        self.tail = tail
    }

    /// Creates a triple from three `Int` vocabulary indices.
    public init(_ head: Int, _ relation: Int, _ tail: Int) {
        self.init(head: Int32(head), relation: Int32(relation), tail: Int32(tail))
    }
}
