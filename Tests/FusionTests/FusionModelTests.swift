import Foundation
import Testing
import TensorTestSupport
import Tensor
import Fusion
import TestSupport

/// A small three-modality model with KG tokens, on synthetic features.
func smallConfiguration(knowledge: Bool = true, seed: UInt64 = 3) -> FusionConfiguration {
    FusionConfiguration(
        modalities: [ModalitySpecification(name: "drive_end", tokenCount: 3, featureSize: 5),
                     ModalitySpecification(name: "fan_end", tokenCount: 2, featureSize: 4),
                     ModalitySpecification(name: "spectrogram", tokenCount: 4, featureSize: 6)],
        modelDimension: 8, headCount: 2, feedForwardDimension: 16, layerCount: 1, dropout: 0, classCount: 3,
        knowledgeEntityCount: knowledge ? 6 : 0, knowledgeDimension: knowledge ? 5 : 0,
        knowledgeTokenCount: knowledge ? 3 : 0, classEntityIndices: knowledge ? [3, 4, 5] : [],
        retrievalDimension: 4, gateHiddenDimension: 6, seed: seed)
}

/// Synthetic cases: features drawn around a class-dependent mean, some modalities missing.
func syntheticCases(count: Int, configuration: FusionConfiguration, seed: UInt64,
                    missing: (Int) -> [Int] = { _ in [] }) -> [FusionCase] {
    var generator = SeededGenerator(seed: seed)
    return (0..<count).map { index in
        let label = index % configuration.classCount
        var modalities: [[Float]?] = configuration.modalities.map { modality in
            (0..<(modality.tokenCount * modality.featureSize)).map { feature in
                Float(label) * (feature % 3 == label ? 1 : 0) + 0.5 * generator.nextNormal()
            }
        }
        for m in missing(index) { modalities[m] = nil }
        let entities = configuration.usesKnowledgeTokens
            ? [LinkedEntity(index: label, scalar: 0.5 + generator.nextUniform())] : []
        return FusionCase(modalities: modalities, entities: entities, label: label)
    }
}

@Suite("Fusion model")
struct FusionModelTests {
    @Test("a missing modality gets gate weight 0 and the present ones sum to 1")
    func missingModalityIsMasked() throws {
        let configuration = smallConfiguration()
        let model = try FusionModel(configuration: configuration)
        model.setTraining(false)
        let cases = syntheticCases(count: 4, configuration: configuration, seed: 5) { index in
            index == 1 ? [2] : index == 2 ? [0, 1] : []
        }
        let output = model.forward(try FusionBatch(cases: cases, configuration: configuration))
        let groups = configuration.gateGroupCount
        #expect(groups == 4)
        let weights = output.gateWeights.values
        for row in 0..<4 {
            let rowWeights = Array(weights[row * groups..<(row + 1) * groups])
            #expect(abs(rowWeights.reduce(0, +) - 1) < 1e-5)
        }
        #expect(weights[1 * groups + 2] == 0)
        #expect(weights[2 * groups + 0] == 0 && weights[2 * groups + 1] == 0)
        #expect(weights[0 * groups + 2] > 0 && weights[1 * groups + 0] > 0)
    }

    @Test("with and without KG tokens, the same seed gives the same modality projections, [CLS] and encoder layers")
    func knowledgeTokensDoNotChangeTheEncoderInitialisation() throws {
        func shared(_ model: FusionModel) -> [String: [Float]] {
            Dictionary(uniqueKeysWithValues: model.namedParameters().filter {
                $0.0.hasPrefix("modalities.") || $0.0.hasPrefix("encoder.layer.") || $0.0.hasPrefix("type_embeddings.")
                    || $0.0 == "cls_token"
            }.map { ($0.0, $0.1.values) })
        }
        let withKnowledge = shared(try FusionModel(configuration: smallConfiguration(knowledge: true, seed: 3)))
        let withoutKnowledge = shared(try FusionModel(configuration: smallConfiguration(knowledge: false, seed: 3)))
        let otherSeed = shared(try FusionModel(configuration: smallConfiguration(knowledge: false, seed: 4)))
        #expect(withKnowledge.keys.contains { $0.hasPrefix("encoder.layer.0.") } && withKnowledge.count == withoutKnowledge.count)
        #expect(withKnowledge == withoutKnowledge)
        // The seed does matter: another seed draws other encoder weights.
        #expect(withoutKnowledge.filter { $0.key.hasPrefix("encoder.layer.") } != otherSeed.filter { $0.key.hasPrefix("encoder.layer.") })
    }

    @Test("the features of a masked modality do not change the output")
    func maskedFeaturesAreIgnored() throws {
        let configuration = smallConfiguration()
        let model = try FusionModel(configuration: configuration)
        model.setTraining(false)
        var cases = syntheticCases(count: 2, configuration: configuration, seed: 8)
        cases[0].modalities[1] = nil
        var batch = try FusionBatch(cases: cases, configuration: configuration)
        let reference = model.forward(batch).logits.values
        // The same batch with the masked modality's slot filled with large garbage.
        var values = batch.features[1].values
        for i in 0..<(2 * 4) { values[i] = 1000 + Float(i) }
        batch.features[1] = Tensor(shape: batch.features[1].shape, values: values)
        let output = model.forward(batch)
        #expect(Array(output.logits.values[0..<3]) == Array(reference[0..<3]))
        #expect(output.logits.values[3..<6] == reference[3..<6])
    }

    @Test("gate gradient matches finite differences")
    func gateGradient() throws {
        var generator = SeededGenerator(seed: 11)
        let gate = DynamicGate(groupCount: 3, modelDimension: 4, hiddenDimension: 5, generator: &generator)
        let summary = Tensor.uniform([2, 4], low: -1, high: 1, generator: &generator, requiresGradient: true)
        let pooled = (0..<3).map { _ in Tensor.uniform([2, 4], low: -1, high: 1, generator: &generator, requiresGradient: true) }
        let present = [[true, true, true], [true, false, true]]
        let worst = GradientCheck().check(gate.parameters() + [summary] + pooled) {
            gate(summary: summary, pooled: pooled, present: present)
        }
        #expect(worst < 1)
        // The weight of the masked group is 0 whatever its features.
        let weights = gate(summary: summary, pooled: pooled, present: present).values
        #expect(weights[3 + 1] == 0 && abs(weights[3] + weights[5] - 1) < 1e-6)
    }

    @Test("KG token projection gradient matches finite differences, scalar shifts along u")
    func knowledgeProjectionGradient() throws {
        var generator = SeededGenerator(seed: 12)
        let projection = KnowledgeTokenProjection(entityCount: 5, entityDimension: 3, modelDimension: 4, generator: &generator)
        let indices = [[0, 4, 2], [3, 3, 1]]
        let scalars: [[Float]] = [[0.5, -1, 2], [0, 1.5, 0.25]]
        let worst = GradientCheck().check(projection.parameters()) {
            projection(indices: indices, scalars: scalars)
        }
        #expect(worst < 1)
        // token(s) − token(0) = s·u exactly.
        let shifted = projection(indices: [[2]], scalars: [[2]]).values
        let plain = projection(indices: [[2]], scalars: [[0]]).values
        for j in 0..<4 {
            #expect(abs(shifted[j] - plain[j] - 2 * projection.scalarDirection.values[j]) < 1e-6)
        }
    }

    @Test("whole model gradient matches finite differences on a few parameters")
    func modelGradient() throws {
        let configuration = smallConfiguration()
        let model = try FusionModel(configuration: configuration)
        model.setTraining(false)
        let cases = syntheticCases(count: 3, configuration: configuration, seed: 4) { $0 == 0 ? [1] : [] }
        let batch = try FusionBatch(cases: cases, configuration: configuration)
        let trainer = FusionTrainer()
        let checked = model.namedParameters().filter {
            $0.0.hasPrefix("gate.") || $0.0.hasPrefix("knowledge.") || $0.0 == "cls_token"
        }.map(\.1)
        #expect(checked.count == 8)
        let worst = GradientCheck(step: 1e-2, relativeTolerance: 5e-2, absoluteTolerance: 5e-3).check(checked) {
            trainer.loss(model: model, batch: batch).loss.reshaped([1])
        }
        #expect(worst < 1)
    }

    @Test("CLS attention over the KG tokens is a distribution over the filled slots")
    func knowledgeAttentionReadout() throws {
        let configuration = smallConfiguration()
        let model = try FusionModel(configuration: configuration)
        model.setTraining(false)
        var cases = syntheticCases(count: 2, configuration: configuration, seed: 6)
        cases[1].entities = [LinkedEntity(index: 1, scalar: 1), LinkedEntity(index: 2, scalar: 0.1)]
        let attention = try model.knowledgeAttention(cases)
        #expect(attention.count == 2 && attention[0].count == 3)
        #expect(attention[1][2] == 0)
        #expect(attention[1][0] > 0 && attention[1][1] > 0)
        #expect(attention.allSatisfy { $0.reduce(0, +) > 0 && $0.reduce(0, +) < 1 })
    }

    @Test("bad inputs are refused with a message naming the case and modality")
    func badInputs() throws {
        let configuration = smallConfiguration()
        var cases = syntheticCases(count: 2, configuration: configuration, seed: 1)
        cases[1].modalities[0] = [1, 2, 3]
        #expect(throws: FusionError(message: "case 1, modality drive_end: 3 features, need 3×5 = 15")) {
            _ = try FusionBatch(cases: cases, configuration: configuration)
        }
        var bad = configuration
        bad.headCount = 3
        #expect(throws: FusionError.self) { _ = try FusionModel(configuration: bad) }
    }
}
