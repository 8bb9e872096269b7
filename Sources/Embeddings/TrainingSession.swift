import Dispatch
import Foundation

/// The mutable state of one training run: parameters, Adam moments, per-thread gradient accumulators and scratch.
final class TrainingSession: @unchecked Sendable {
    let config: EmbeddingConfig
    let scoreFunction: ScoreFunction
    let entityCount: Int
    let relationCount: Int
    let train: SharedBuffer<IndexedTriple>
    /// Probability of corrupting (predicting) the head of a triple of each relation.
    let headProbability: [Float]
    /// Entity table [entityCount, entityWidth].
    let entities: FloatStorage
    /// Relation table [relationCount, relationWidth] (RotatE: raw ρ, θ = ρ·phaseScale).
    let relations: FloatStorage
    let entityOptimizer: AdamOptimizer
    let relationOptimizer: AdamOptimizer
    /// One entity and one relation accumulator per worker thread.
    let entityGradients: [RowGradient]
    let relationGradients: [RowGradient]
    /// RotatE: per relation, (cos θ_i, sin θ_i) for the current phases [relationCount, 2D]; nil for other models.
    let rotations: FloatStorage?
    /// Training order, reshuffled every epoch.
    let order: SharedBuffer<Int32>
    /// Gradient checking only: self-adversarial weights p [batch, negatives] recorded from one evaluation and, when
    /// `replayAdversarialWeights` is true, replayed so that finite differences see p as the constant it is defined to be.
    var frozenAdversarialWeights: SharedBuffer<Float>?
    var replayAdversarialWeights = false
    private var shuffleGenerator: SplitMix64
    private var stepCount = 0

    init(config: EmbeddingConfig, dataset: TripleDataset) {
        self.config = config
        scoreFunction = ScoreFunction(config: config, relationsArePhases: false)
        entityCount = dataset.entities.count
        relationCount = dataset.relations.count
        train = SharedBuffer(count: dataset.train.count, repeating: IndexedTriple(0, 0, 0))
        for (index, triple) in dataset.train.enumerated() { train.pointer[index] = triple }
        headProbability = dataset.headCorruptionProbabilities(scheme: config.corruption)

        var initializer = SplitMix64(mixing: config.seed, 0x1A1)
        let range = config.effectiveInitializationRange
        func uniformTable(count: Int) -> FloatStorage {
            let storage = FloatStorage(count: count)
            for index in 0..<count { storage.pointer[index] = (2 * initializer.nextUnitFloat() - 1) * range }
            return storage
        }
        entities = uniformTable(count: entityCount * config.entityWidth)
        relations = uniformTable(count: relationCount * config.relationWidth)
        entityOptimizer = AdamOptimizer(parameters: entities, rows: entityCount, width: config.entityWidth)
        relationOptimizer = AdamOptimizer(parameters: relations, rows: relationCount, width: config.relationWidth)
        let entityRows = dataset.entities.count, relationRows = dataset.relations.count
        entityGradients = (0..<config.threads).map { _ in RowGradient(rows: entityRows, width: config.entityWidth) }
        relationGradients = (0..<config.threads).map { _ in
            RowGradient(rows: relationRows, width: config.relationWidth)
        }
        rotations = config.model == .rotate ? FloatStorage(count: relationRows * 2 * config.dimension) : nil
        order = SharedBuffer(count: dataset.train.count, repeating: 0)
        for index in 0..<dataset.train.count { order.pointer[index] = Int32(index) }
        shuffleGenerator = SplitMix64(mixing: config.seed, 0x5A0F)
    }

    /// One pass over the training triples; returns the mean loss per positive triple.
    func runEpoch(_ epoch: Int) -> Double {
        let count = train.count
        for position in stride(from: count - 1, to: 0, by: -1) {
            let other = shuffleGenerator.nextIndex(below: position + 1)
            (order.pointer[position], order.pointer[other]) = (order.pointer[other], order.pointer[position])
        }
        var total = 0.0
        var batchStart = 0
        while batchStart < count {
            let batchEnd = min(count, batchStart + config.batchSize)
            stepCount += 1
            switch config.loss {
            case .selfAdversarial: total += runSelfAdversarialBatch(epoch: epoch, range: batchStart..<batchEnd)
            case .crossEntropy: total += runCrossEntropyBatch(range: batchStart..<batchEnd)
            }
            applyGradients()
            batchStart = batchEnd
        }
        return total / Double(count)
    }

    /// Recomputes the RotatE rotation table from the current relation phases (once per batch).
    func refreshRotations() {
        guard let rotations else { return }
        for relation in 0..<relationCount {
            scoreFunction.writeRotation(
                relation: relations.pointer + relation * config.relationWidth,
                into: rotations.pointer + relation * 2 * config.dimension)
        }
    }

    /// Sums the worker accumulators into the first one (in worker order), takes an Adam step, clears them.
    private func applyGradients() {
        reduceGradients()
        entityOptimizer.step(gradient: entityGradients[0], learningRate: config.learningRate, step: stepCount,
                             lazy: config.lazyAdam)
        relationOptimizer.step(gradient: relationGradients[0], learningRate: config.learningRate, step: stepCount,
                               lazy: config.lazyAdam)
        clearGradients()
    }

    /// Adds every worker's accumulators into worker 0's, in worker order (deterministic).
    func reduceGradients() {
        for worker in 1..<max(1, entityGradients.count) {
            entityGradients[0].add(entityGradients[worker])
            relationGradients[0].add(relationGradients[worker])
        }
    }

    /// Zeroes every accumulator.
    func clearGradients() {
        for gradient in entityGradients { gradient.clear() }
        for gradient in relationGradients { gradient.clear() }
    }

    /// Overwrites the parameter tables with saved copies (model selection on validation).
    func restore(entities savedEntities: [Float], relations savedRelations: [Float]) {
        savedEntities.withUnsafeBufferPointer { entities.pointer.update(from: $0.baseAddress!, count: $0.count) }
        savedRelations.withUnsafeBufferPointer { relations.pointer.update(from: $0.baseAddress!, count: $0.count) }
    }

    /// A ranker over the current parameters.
    func ranker(filter: FilterIndex) -> LinkPredictionRanker {
        LinkPredictionRanker(
            scoreFunction: scoreFunction, entities: entities, relations: relations, entityCount: entityCount,
            filter: filter, threads: config.threads)
    }

    /// The parameters as a public model (RotatE relations converted from ρ to phases θ = ρ·phaseScale).
    func exportModel(entityNames: [String], relationNames: [String]) throws -> EmbeddingModel {
        var relationValues = relations.array
        if config.model == .rotate {
            for index in relationValues.indices { relationValues[index] *= scoreFunction.phaseScale }
        }
        return try EmbeddingModel(
            config: config, entityNames: entityNames, relationNames: relationNames,
            entityVectors: entities.array, relationVectors: relationValues)
    }
}

/// log(1 + e^x) without overflow.
@inline(__always)
func softplus(_ x: Float) -> Float {
    max(x, 0) + log1p(exp(-abs(x)))
}

/// 1 / (1 + e^{−x}).
@inline(__always)
func sigmoid(_ x: Float) -> Float {
    x >= 0 ? 1 / (1 + exp(-x)) : exp(x) / (1 + exp(x))
}
