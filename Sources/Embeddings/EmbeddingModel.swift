/// A trained embedding: the configuration, the entity and relation names, and their vectors.
///
/// Vectors are flat row-major Float32: `entityVectors` is [entityNames.count, config.entityWidth] and
/// `relationVectors` is [relationNames.count, config.relationWidth]. Complex vectors hold D real parts then D
/// imaginary parts. RotatE relation vectors hold the phases θ in radians (r_i = e^{iθ_i}).
public struct EmbeddingModel: Sendable {
    /// The configuration the model was trained with.
    public let config: EmbeddingConfig
    /// Entity names, in row order of `entityVectors`.
    public let entityNames: [String]
    /// Relation names, in row order of `relationVectors`.
    public let relationNames: [String]
    /// Entity vectors, row-major [entities, entityWidth].
    public let entityVectors: [Float]
    /// Relation vectors, row-major [relations, relationWidth] (RotatE: phases in radians).
    public let relationVectors: [Float]

    private let entityIndexByName: [String: Int]
    private let relationIndexByName: [String: Int]

    /// A model from its parts, e.g. as read back from storage.
    ///
    /// - Throws: `EmbeddingModelError` when the config is invalid, names repeat, or a vector table's size is not
    ///   names × width.
    public init(
        config: EmbeddingConfig, entityNames: [String], relationNames: [String],
        entityVectors: [Float], relationVectors: [Float]
    ) throws {
        if let problem = config.validationProblem() { throw EmbeddingModelError(message: "invalid config: \(problem)") }
        guard entityVectors.count == entityNames.count * config.entityWidth else {
            throw EmbeddingModelError(message: "entityVectors has \(entityVectors.count) floats, expected "
                + "\(entityNames.count) entities × \(config.entityWidth)")
        }
        guard relationVectors.count == relationNames.count * config.relationWidth else {
            throw EmbeddingModelError(message: "relationVectors has \(relationVectors.count) floats, expected "
                + "\(relationNames.count) relations × \(config.relationWidth)")
        }
        var entityIndex: [String: Int] = [:]
        for (index, name) in entityNames.enumerated() {
            guard entityIndex.updateValue(index, forKey: name) == nil else {
                throw EmbeddingModelError(message: "entity name '\(name)' appears twice")
            }
        }
        var relationIndex: [String: Int] = [:]
        for (index, name) in relationNames.enumerated() {
            guard relationIndex.updateValue(index, forKey: name) == nil else {
                throw EmbeddingModelError(message: "relation name '\(name)' appears twice")
            }
        }
        self.config = config
        self.entityNames = entityNames
        self.relationNames = relationNames
        self.entityVectors = entityVectors
        self.relationVectors = relationVectors
        entityIndexByName = entityIndex
        relationIndexByName = relationIndex
    }

    /// The row of `name` in `entityVectors`, or nil if unknown.
    public func entityIndex(of name: String) -> Int? { entityIndexByName[name] }

    /// The row of `name` in `relationVectors`, or nil if unknown.
    public func relationIndex(of name: String) -> Int? { relationIndexByName[name] }

    /// The vector of entity `name` (entityWidth floats), or nil if unknown.
    public func entityVector(of name: String) -> [Float]? {
        guard let row = entityIndexByName[name] else { return nil }
        let width = config.entityWidth
        return Array(entityVectors[row * width..<(row + 1) * width])
    }

    /// The vector of relation `name` (relationWidth floats), or nil if unknown.
    public func relationVector(of name: String) -> [Float]? {
        guard let row = relationIndexByName[name] else { return nil }
        let width = config.relationWidth
        return Array(relationVectors[row * width..<(row + 1) * width])
    }

    /// The model's score s(h, r, t) of a named triple (higher is more plausible), or nil if a name is unknown.
    public func score(head: String, relation: String, tail: String) -> Float? {
        guard let h = entityIndexByName[head], let r = relationIndexByName[relation],
              let t = entityIndexByName[tail] else { return nil }
        return score(IndexedTriple(h, r, t))
    }

    /// The model's score s(h, r, t) of an indexed triple.
    public func score(_ triple: IndexedTriple) -> Float {
        let scoreFunction = ScoreFunction(config: config, relationsArePhases: true)
        let width = config.entityWidth
        var query = [Float](repeating: 0, count: width)
        return entityVectors.withUnsafeBufferPointer { entities in
            relationVectors.withUnsafeBufferPointer { relations in
                query.withUnsafeMutableBufferPointer { queryBuffer in
                    scoreFunction.makeQuery(
                        side: .tail, anchor: entities.baseAddress! + Int(triple.head) * width,
                        relation: relations.baseAddress! + Int(triple.relation) * config.relationWidth,
                        query: queryBuffer.baseAddress!)
                    return scoreFunction.score(query: queryBuffer.baseAddress!,
                                               entity: entities.baseAddress! + Int(triple.tail) * width)
                }
            }
        }
    }

    /// Scores of every entity as the tail of (head, relation, ?), indexed like `entityNames`; nil if a name is unknown.
    public func tailScores(head: String, relation: String) -> [Float]? {
        guard let h = entityIndexByName[head], let r = relationIndexByName[relation] else { return nil }
        return allScores(side: .tail, anchor: h, relation: r)
    }

    /// Scores of every entity as the head of (?, relation, tail), indexed like `entityNames`; nil if a name is unknown.
    public func headScores(relation: String, tail: String) -> [Float]? {
        guard let t = entityIndexByName[tail], let r = relationIndexByName[relation] else { return nil }
        return allScores(side: .head, anchor: t, relation: r)
    }

    private func allScores(side: PredictionSide, anchor: Int, relation: Int) -> [Float] {
        let scoreFunction = ScoreFunction(config: config, relationsArePhases: true)
        let width = config.entityWidth
        var query = [Float](repeating: 0, count: width)
        var scores = [Float](repeating: 0, count: entityNames.count)
        entityVectors.withUnsafeBufferPointer { entities in
            relationVectors.withUnsafeBufferPointer { relations in
                query.withUnsafeMutableBufferPointer { queryBuffer in
                    scores.withUnsafeMutableBufferPointer { scoreBuffer in
                        scoreFunction.makeQuery(
                            side: side, anchor: entities.baseAddress! + anchor * width,
                            relation: relations.baseAddress! + relation * config.relationWidth,
                            query: queryBuffer.baseAddress!)
                        scoreFunction.scoreAll(
                            query: queryBuffer.baseAddress!, entities: entities.baseAddress!,
                            entityCount: entityNames.count, scores: scoreBuffer.baseAddress!)
                    }
                }
            }
        }
        return scores
    }
}

/// A problem building an `EmbeddingModel` or decoding its vectors.
public struct EmbeddingModelError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong.
    public var message: String

    /// An error with a message.
    public init(message: String) {
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
