import Embeddings
import Foundation
import Testing

@Suite("EmbeddingTrainer")
struct EmbeddingTrainerTests {
    /// Ten couples under a symmetric `spouse` relation, both directions known except for the last couple's
    /// (b9, spouse, a9), which is held out; a `friend` ring links the couples so entities are not interchangeable.
    static func symmetryTriples() -> (train: [(head: String, relation: String, tail: String)], heldOut: (String, String, String)) {
        var triples: [(head: String, relation: String, tail: String)] = []
        for index in 0..<10 {
            triples.append(("a\(index)", "spouse", "b\(index)"))
            if index != 9 { triples.append(("b\(index)", "spouse", "a\(index)")) }
            triples.append(("a\(index)", "friend", "a\((index + 1) % 10)"))
            triples.append(("b\(index)", "friend", "b\((index + 3) % 10)"))
        }
        return (triples, ("b9", "spouse", "a9"))
    }

    /// A line of 16 nodes with `next` (i → i+1) and `skip` (i → i+2). The held-out next(n7, n8) is implied by
    /// composition: next(n6, n7) and skip(n6, n8) (and every other next/skip pair) fix n8 − n7 = r_next.
    @Test("TransE and RotatE rank a triple implied by composition first", arguments: [
        EmbeddingModelKind.transE, .rotate,
    ])
    func composition(kind: EmbeddingModelKind) throws {
        var triples: [(head: String, relation: String, tail: String)] = []
        for index in 0..<16 {
            if index + 1 < 16 && index != 7 { triples.append(("n\(index)", "next", "n\(index + 1)")) }
            if index + 2 < 16 { triples.append(("n\(index)", "skip", "n\(index + 2)")) }
        }
        let dataset = try TripleDataset(triples: triples, validationFraction: 0, testFraction: 0, seed: 0)
        var config = EmbeddingConfig.defaults(for: kind)
        config.dimension = 16
        config.epochs = 500
        config.batchSize = 8
        config.negatives = 16
        config.learningRate = 0.01
        config.margin = 1  // a small margin keeps pulling positives together, so the chain is fitted exactly
        config.validationInterval = 0
        let model = try EmbeddingTrainer(config: config).train(on: dataset).model
        let tails = try #require(model.tailScores(head: "n7", relation: "next"))
        let best = try #require(tails.indices.max { tails[$0] < tails[$1] })
        #expect(model.entityNames[best] == "n8", "\(kind): best tail of (n7, next, ?) is \(model.entityNames[best])")
        let heads = try #require(model.headScores(relation: "next", tail: "n8"))
        let bestHead = try #require(heads.indices.max { heads[$0] < heads[$1] })
        #expect(model.entityNames[bestHead] == "n7")
    }

    @Test("DistMult, ComplEx and RotatE rank the held-out direction of a symmetric relation first", arguments: [
        EmbeddingModelKind.distMult, .complEx, .rotate,
    ])
    func symmetry(kind: EmbeddingModelKind) throws {
        let (triples, heldOut) = Self.symmetryTriples()
        let dataset = try TripleDataset(triples: triples, validationFraction: 0, testFraction: 0, seed: 0)
        var config = EmbeddingConfig.defaults(for: kind)
        config.dimension = 16
        config.epochs = 200
        config.batchSize = 16
        config.negatives = 16
        config.learningRate = 0.01
        config.margin = 3
        config.validationInterval = 0
        let model = try EmbeddingTrainer(config: config).train(on: dataset).model
        let tails = try #require(model.tailScores(head: heldOut.0, relation: heldOut.1))
        let order = tails.indices.sorted { tails[$0] > tails[$1] }
        #expect(model.entityNames[order[0]] == heldOut.2,
                "\(kind): ranking of (b9, spouse, ?) starts \(order.prefix(3).map { model.entityNames[$0] })")
    }

    @Test("the same seed gives the same vectors and metrics; another seed does not")
    func reproducible() throws {
        let dataset = try TripleDataset(directory: SharedData.knowledgeGraph("nations"))
        var config = EmbeddingConfig.defaults(for: .rotate)
        config.dimension = 16
        config.epochs = 5
        config.negatives = 16
        let first = try EmbeddingTrainer(config: config).train(on: dataset)
        let second = try EmbeddingTrainer(config: config).train(on: dataset)
        #expect(first.model.entityVectors == second.model.entityVectors)
        #expect(first.model.relationVectors == second.model.relationVectors)
        #expect(first.testMetrics == second.testMetrics)
        #expect(first.lossHistory == second.lossHistory)
        config.seed += 1
        let third = try EmbeddingTrainer(config: config).train(on: dataset)
        #expect(third.model.entityVectors != first.model.entityVectors)
    }

    @Test("a small RotatE on UMLS learns: test MRR ≥ 0.6 after a few seconds, loss falls, progress reported",
          arguments: [(CorruptionScheme.uniform, false), (.bernoulli, true)])
    func learnsUMLS(corruption: CorruptionScheme, lazyAdam: Bool) throws {
        let dataset = try TripleDataset(directory: SharedData.knowledgeGraph("umls"))
        var config = EmbeddingConfig.defaults(for: .rotate)
        config.dimension = 32
        config.epochs = 10
        config.batchSize = 256
        config.negatives = 32
        config.learningRate = 0.01
        config.validationInterval = 0
        config.corruption = corruption
        config.lazyAdam = lazyAdam
        var epochs: [Int] = []
        let result = try EmbeddingTrainer(config: config).train(on: dataset) { epochs.append($0.epoch) }
        #expect(epochs == Array(1...10))
        let metrics = try #require(result.testMetrics)
        #expect(metrics.rankCount == 2 * 661)
        #expect(metrics.meanReciprocalRank >= 0.6, "\(metrics)")
        #expect(metrics.hitsAt10 >= 0.9, "\(metrics)")
        #expect(result.lossHistory.last! < result.lossHistory.first!)
        // The evaluator on the exported model (phases as θ) agrees with the trainer's own evaluation.
        let again = try LinkPredictionEvaluator(dataset: dataset).evaluate(result.model, on: dataset.test)
        #expect(abs(again.meanReciprocalRank - metrics.meanReciprocalRank) < 1e-3)
    }

    @Test("validation selection keeps the parameters of the best validation MRR")
    func validationSelection() throws {
        let dataset = try TripleDataset(directory: SharedData.knowledgeGraph("nations"))
        var config = EmbeddingConfig.defaults(for: .rotate)
        config.dimension = 16
        config.epochs = 12
        config.negatives = 16
        config.validationInterval = 4
        let result = try EmbeddingTrainer(config: config).train(on: dataset)
        #expect([4, 8, 12].contains(result.selectedEpoch))
        let validation = try #require(result.validationMetrics)
        let again = try LinkPredictionEvaluator(dataset: dataset).evaluate(result.model, on: dataset.valid)
        #expect(abs(again.meanReciprocalRank - validation.meanReciprocalRank) < 1e-4)
        #expect(validation.rankCount == 2 * 199)
    }

    @Test("an invalid config is refused with the setting named")
    func invalidConfig() throws {
        let dataset = try TripleDataset(triples: [("a", "r", "b")], validationFraction: 0, testFraction: 0)
        var config = EmbeddingConfig.defaults(for: .transE)
        config.norm = 3
        let error = #expect(throws: EmbeddingTrainingError.self) { try EmbeddingTrainer(config: config).train(on: dataset) }
        #expect(error?.message.contains("norm") == true)
    }
}
