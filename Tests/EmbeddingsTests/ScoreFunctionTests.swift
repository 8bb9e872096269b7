import Embeddings
import Foundation
import Testing

/// Score formulas checked against direct computations, and head/tail scoring against single-triple scores.
@Suite("Score functions")
struct ScoreFunctionTests {
    /// A model of three entities and one relation with seeded pseudo-random vectors.
    static func model(_ kind: EmbeddingModelKind, norm: Int = 1) throws -> EmbeddingModel {
        let config = EmbeddingConfig(model: kind, dimension: 5, norm: norm)
        var state: UInt64 = 12345
        func next() -> Float {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Float(Int64(bitPattern: state >> 11) % 2001 - 1000) / 1000
        }
        return try EmbeddingModel(
            config: config, entityNames: ["x", "y", "z"], relationNames: ["r"],
            entityVectors: (0..<3 * config.entityWidth).map { _ in next() },
            relationVectors: (0..<config.relationWidth).map { _ in next() * 3 })
    }

    /// The textbook score of (x, r, y) computed from the raw vectors.
    static func reference(_ model: EmbeddingModel) -> Float {
        let h = model.entityVector(of: "x")!, t = model.entityVector(of: "y")!, r = model.relationVector(of: "r")!
        let d = model.config.dimension
        switch model.config.model {
        case .transE:
            let differences = (0..<d).map { h[$0] + r[$0] - t[$0] }
            return model.config.norm == 1
                ? -differences.map(abs).reduce(0, +) : -differences.map { $0 * $0 }.reduce(0, +).squareRoot()
        case .distMult:
            return (0..<d).map { h[$0] * r[$0] * t[$0] }.reduce(0, +)
        case .complEx:
            // Re(h·r·conj(t)) component by component.
            return (0..<d).map { i -> Float in
                let (hr, hi, rr, ri, tr, ti) = (h[i], h[d + i], r[i], r[d + i], t[i], t[d + i])
                let productReal = hr * rr - hi * ri, productImaginary = hr * ri + hi * rr
                return productReal * tr + productImaginary * ti
            }.reduce(0, +)
        case .rotate:
            let moduli = (0..<d).map { i -> Float in
                let c = cos(r[i]), s = sin(r[i])
                let real = h[i] * c - h[d + i] * s - t[i], imaginary = h[i] * s + h[d + i] * c - t[d + i]
                return real * real + imaginary * imaginary
            }
            return model.config.norm == 1
                ? -moduli.map { $0.squareRoot() }.reduce(0, +) : -moduli.reduce(0, +).squareRoot()
        }
    }

    @Test("each model scores a triple by its formula, from either side", arguments: [
        (EmbeddingModelKind.transE, 1), (.transE, 2), (.distMult, 1), (.complEx, 1), (.rotate, 1), (.rotate, 2),
    ])
    func formula(kind: EmbeddingModelKind, norm: Int) throws {
        let model = try Self.model(kind, norm: norm)
        let score = try #require(model.score(head: "x", relation: "r", tail: "y"))
        let expected = Self.reference(model)
        #expect(abs(score - expected) <= 1e-5 * max(1, abs(expected)))
        let tails = try #require(model.tailScores(head: "x", relation: "r"))
        let heads = try #require(model.headScores(relation: "r", tail: "y"))
        #expect(abs(tails[1] - score) <= 1e-5 * max(1, abs(score)))
        #expect(abs(heads[0] - score) <= 1e-5 * max(1, abs(score)))
        #expect(abs(heads[2] - model.score(head: "z", relation: "r", tail: "y")!) <= 1e-5 * max(1, abs(score)))
    }

    /// The self-adversarial weights p = softmax(α·s⁻) are constants of the loss by definition (Sun et al.); the check
    /// replays them from the unperturbed evaluation.
    @Test("hand-written gradients match central finite differences", arguments: [
        (EmbeddingModelKind.transE, 1, EmbeddingLoss.selfAdversarial), (.transE, 2, .selfAdversarial),
        (.distMult, 1, .selfAdversarial), (.complEx, 1, .selfAdversarial), (.rotate, 1, .selfAdversarial),
        (.rotate, 2, .selfAdversarial), (.distMult, 1, .crossEntropy), (.complEx, 1, .crossEntropy),
        (.transE, 2, .crossEntropy), (.rotate, 1, .crossEntropy),
    ])
    func gradients(kind: EmbeddingModelKind, norm: Int, loss: EmbeddingLoss) throws {
        var triples: [(head: String, relation: String, tail: String)] = []
        for index in 0..<6 {
            triples.append(("e\(index)", "r\(index % 2)", "e\((index + 1) % 6)"))
            triples.append(("e\(index)", "r2", "e\((index + 3) % 6)"))
        }
        let dataset = try TripleDataset(triples: triples, validationFraction: 0, testFraction: 0, seed: 1)
        let config = EmbeddingConfig(
            model: kind, dimension: 4, norm: norm, batchSize: 8, negatives: 5, margin: 2, adversarialTemperature: 0.7,
            loss: loss, regularizationWeight: kind.isDistanceModel ? 0 : 0.05, initializationRange: 0.5, threads: 2,
            seed: 99)
        let result = EmbeddingTrainer.checkGradients(config: config, dataset: dataset, step: 1e-3)
        #expect(result.checkedParameters == 6 * config.entityWidth + 3 * config.relationWidth)
        #expect(result.largestGradient > 1e-3)
        #expect(result.maximumRelativeError < 2e-2, "\(kind) norm \(norm) \(loss): \(result)")
    }
}
