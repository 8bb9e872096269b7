/// An entity and its similarity to a query entity.
public struct EntityNeighbor: Sendable, Equatable {
    /// The neighbour's name.
    public var entity: String
    /// Its similarity to the query entity under the model's own geometry (higher is closer).
    public var similarity: Float
}

extension EmbeddingModel {
    /// The similarity of two entity vectors under the model's geometry.
    ///
    /// TransE and RotatE: the negative distance the model scores with, −‖a − b‖_p (RotatE with p = 1:
    /// −Σ_i |a_i − b_i| over complex components). DistMult and ComplEx: cosine ⟨a, b⟩/(‖a‖‖b‖) of the packed
    /// real vectors (0 when either vector is zero).
    public func similarity(between first: String, and second: String) -> Float? {
        guard let a = entityIndex(of: first), let b = entityIndex(of: second) else { return nil }
        return entityVectors.withUnsafeBufferPointer { similarity(rows: a, b, in: $0.baseAddress!) }
    }

    /// The `k` entities most similar to `name` (itself excluded), best first, ties in entity order; nil if unknown.
    public func nearestNeighbors(of name: String, k: Int) -> [EntityNeighbor]? {
        guard let query = entityIndex(of: name) else { return nil }
        let candidates: [(index: Int, similarity: Float)] = entityVectors.withUnsafeBufferPointer { buffer in
            (0..<entityNames.count).filter { $0 != query }.map {
                (index: $0, similarity: similarity(rows: query, $0, in: buffer.baseAddress!))
            }
        }
        let ordered = candidates.sorted {
            $0.similarity != $1.similarity ? $0.similarity > $1.similarity : $0.index < $1.index
        }
        return ordered.prefix(max(0, k)).map { EntityNeighbor(entity: entityNames[$0.index], similarity: $0.similarity) }
    }

    private func similarity(rows a: Int, _ b: Int, in entities: UnsafePointer<Float>) -> Float {
        let width = config.entityWidth
        let first = entities + a * width, second = entities + b * width
        if config.model.isDistanceModel {
            return ScoreFunction(config: config, relationsArePhases: true).metric.score(first, second, count: width)
        }
        let dot = EntityMetric.dot.score(first, second, count: width)
        let normProduct = (EntityMetric.dot.score(first, first, count: width)
            * EntityMetric.dot.score(second, second, count: width)).squareRoot()
        return normProduct > 0 ? dot / normProduct : 0
    }
}
