/// Filtered link-prediction evaluation of a trained model against a dataset's known triples.
///
/// Each evaluated triple (h, r, t) is ranked twice, t among all entities for (h, r, ?) and h among all entities for
/// (?, r, t), skipping every other entity that forms a known triple of train, valid or test (the filtered setting of
/// Bordes et al. 2013), with ties at the realistic rank 1 + #better + #equal/2.
public struct LinkPredictionEvaluator: Sendable {
    /// The dataset whose vocabularies the model must share and whose triples are filtered.
    public let dataset: TripleDataset
    private let filter: FilterIndex

    /// An evaluator filtering train, valid and test triples of `dataset`.
    public init(dataset: TripleDataset) {
        self.dataset = dataset
        filter = FilterIndex(dataset.train, dataset.valid, dataset.test)
    }

    /// Two realistic ranks per triple: ranks[2i] for the tail of triples[i], ranks[2i + 1] for its head.
    ///
    /// - Throws: `EmbeddingModelError` if the model's entity or relation names differ from the dataset's.
    public func ranks(of triples: [IndexedTriple], model: EmbeddingModel, threads: Int = 2) throws -> [Double] {
        guard model.entityNames == dataset.entities, model.relationNames == dataset.relations else {
            throw EmbeddingModelError(message: "the model's entity and relation names differ from the dataset's")
        }
        for triple in triples {
            guard Int(triple.head) < dataset.entities.count, Int(triple.tail) < dataset.entities.count,
                  Int(triple.relation) < dataset.relations.count, triple.head >= 0, triple.tail >= 0,
                  triple.relation >= 0 else {
                throw EmbeddingModelError(message: "triple \(triple) refers to an index outside the vocabularies")
            }
        }
        let ranker = LinkPredictionRanker(
            scoreFunction: ScoreFunction(config: model.config, relationsArePhases: true),
            entities: FloatStorage(model.entityVectors), relations: FloatStorage(model.relationVectors),
            entityCount: dataset.entities.count, filter: filter, threads: max(1, threads))
        return ranker.ranks(of: triples)
    }

    /// MRR, mean rank and Hits@1, 3, 10 over both sides of `triples`.
    ///
    /// - Throws: `EmbeddingModelError` if the model's entity or relation names differ from the dataset's.
    public func evaluate(_ model: EmbeddingModel, on triples: [IndexedTriple], threads: Int = 2) throws
        -> LinkPredictionMetrics
    {
        LinkPredictionMetrics(ranks: try ranks(of: triples, model: model, threads: threads))
    }
}
