import Embeddings
import Foundation
import Testing

@Suite("Link-prediction metrics")
struct LinkPredictionMetricsTests {
    @Test("realistic rank counts better scores fully and ties by half")
    func realisticRankWithTies() {
        // Candidate 2 is the target (score 0.5); candidates 0 and 4 beat it, 1 and 5 tie with it.
        let scores: [Float] = [0.9, 0.5, 0.5, 0.1, 0.7, 0.5]
        #expect(LinkPredictionMetrics.realisticRank(of: 2, scores: scores) == 1 + 2 + 1)
        // Filtering the better candidate 0 and the tied candidate 5 leaves one better, one tie.
        #expect(LinkPredictionMetrics.realisticRank(of: 2, scores: scores, excluding: [0, 5]) == 1 + 1 + 0.5)
        // The target itself is never filtered out; a unique best is rank 1.
        #expect(LinkPredictionMetrics.realisticRank(of: 0, scores: scores, excluding: [0]) == 1)
        // All equal: the mean of the optimistic (1) and pessimistic (6) ranks.
        #expect(LinkPredictionMetrics.realisticRank(of: 3, scores: [Float](repeating: 2, count: 6)) == 3.5)
        // A NaN target gets the worst rank among the candidates left.
        #expect(LinkPredictionMetrics.realisticRank(of: 1, scores: [0, .nan, 1, 2], excluding: [3]) == 3)
    }

    @Test("MRR and Hits@k from a list of ranks")
    func metricsFromRanks() {
        let metrics = LinkPredictionMetrics(ranks: [1, 2, 3.5, 10, 11])
        #expect(abs(metrics.meanReciprocalRank - (1 + 0.5 + 1 / 3.5 + 0.1 + 1 / 11.0) / 5) < 1e-12)
        #expect(metrics.hitsAt1 == 0.2)
        #expect(metrics.hitsAt3 == 0.4)
        #expect(metrics.hitsAt10 == 0.8)
        #expect(metrics.meanRank == 5.5)
        #expect(metrics.rankCount == 5)
        #expect(LinkPredictionMetrics(ranks: []).meanReciprocalRank == 0)
    }

    @Test("the evaluator filters known triples and matches ranks computed from the model's own scores")
    func evaluatorFiltersKnownTriples() throws {
        // Six entities, two relations; DistMult vectors fixed by hand so the scores have ties and clear winners.
        var triples: [(head: String, relation: String, tail: String)] = []
        let names = ["a", "b", "c", "d", "e", "f"]
        for (index, name) in names.enumerated() {
            triples.append((name, "r", names[(index + 1) % 6]))
            triples.append((name, "r", names[(index + 2) % 6]))
            triples.append((name, "s", names[(index + 3) % 6]))
        }
        let dataset = try TripleDataset(triples: triples, validationFraction: 0.2, testFraction: 0.2, seed: 3)
        #expect(!dataset.test.isEmpty)
        let config = EmbeddingConfig(model: .distMult, dimension: 2)
        var entityVectors: [Float] = []
        for index in 0..<dataset.entities.count {
            entityVectors += [Float(index % 3), Float(index / 3) - 0.5]  // rows 0 and 3 differ; some ties
        }
        let relationVectors: [Float] = (0..<dataset.relations.count).flatMap { [1, Float($0) + 0.5] }
        let model = try EmbeddingModel(
            config: config, entityNames: dataset.entities, relationNames: dataset.relations,
            entityVectors: entityVectors, relationVectors: relationVectors)
        let ranks = try LinkPredictionEvaluator(dataset: dataset).ranks(of: dataset.test, model: model, threads: 2)
        #expect(ranks.count == 2 * dataset.test.count)
        let known = Set(dataset.train + dataset.valid + dataset.test)
        for (index, triple) in dataset.test.enumerated() {
            let name = dataset.names(of: triple)
            let tailScores = try #require(model.tailScores(head: name.head, relation: name.relation))
            let filteredTails = Set((0..<dataset.entities.count).filter {
                known.contains(IndexedTriple(Int(triple.head), Int(triple.relation), $0))
            })
            #expect(ranks[2 * index]
                == LinkPredictionMetrics.realisticRank(of: Int(triple.tail), scores: tailScores, excluding: filteredTails))
            let headScores = try #require(model.headScores(relation: name.relation, tail: name.tail))
            let filteredHeads = Set((0..<dataset.entities.count).filter {
                known.contains(IndexedTriple($0, Int(triple.relation), Int(triple.tail)))
            })
            #expect(ranks[2 * index + 1]
                == LinkPredictionMetrics.realisticRank(of: Int(triple.head), scores: headScores, excluding: filteredHeads))
        }
        // Without filtering, some rank would be worse: the filter did remove competitors.
        let unfiltered = dataset.test.map { triple -> Double in
            let name = dataset.names(of: triple)
            return LinkPredictionMetrics.realisticRank(
                of: Int(triple.tail), scores: model.tailScores(head: name.head, relation: name.relation)!)
        }
        #expect(zip(unfiltered, stride(from: 0, to: ranks.count, by: 2).map { ranks[$0] }).contains { $0 > $1 })
    }
}
