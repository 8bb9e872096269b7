/// The known true answers of every (h, r, ?) and (?, r, t) query, for filtered ranking.
struct FilterIndex: Sendable {
    /// Key (h << 32 | r) → every t with (h, r, t) known.
    private var tailsByHeadRelation: [Int64: [Int32]] = [:]
    /// Key (t << 32 | r) → every h with (h, r, t) known.
    private var headsByTailRelation: [Int64: [Int32]] = [:]

    /// Indexes all triples of the given lists.
    init(_ lists: [IndexedTriple]...) {
        for list in lists {
            for triple in list {
                tailsByHeadRelation[Self.key(triple.head, triple.relation), default: []].append(triple.tail)
                headsByTailRelation[Self.key(triple.tail, triple.relation), default: []].append(triple.head)
            }
        }
    }

    @inline(__always)
    private static func key(_ entity: Int32, _ relation: Int32) -> Int64 {
        Int64(entity) << 32 | Int64(relation)
    }

    /// The known answers of the query that predicts `side` of `triple` (including the triple's own answer).
    func knownAnswers(of triple: IndexedTriple, side: PredictionSide) -> [Int32] {
        switch side {
        case .tail: tailsByHeadRelation[Self.key(triple.head, triple.relation)] ?? []
        case .head: headsByTailRelation[Self.key(triple.tail, triple.relation)] ?? []
        }
    }
}
