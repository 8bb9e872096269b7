import Foundation
import Testing
import Tensor
import Fusion
import TestSupport

/// Proof of learning on real data: CWRU bearing recordings, trained at motor load 0, tested at load 1.
///
/// Windows of 1 s (12,000 samples). Training windows start in the first 80 % of each load-0 recording (hop 0.25 s),
/// validation windows in the last 20 % (hop 0.5 s; they overlap no training window), test windows cover the load-1
/// recordings (hop 0.5 s). Every recording's windows stay in one split except that a load-0 recording is cut in
/// time between training and validation (normal and fan-end outer race have a single load-0 recording each).
@Suite("Fusion on CWRU bearings", .serialized)
struct BearingFusionTests {
    static let windowLength = 12_000

    struct Splits {
        var training: [FusionCase] = []
        var validation: [FusionCase] = []
        var test: [FusionCase] = []
    }

    static func splits() throws -> Splits {
        let bearings = try BearingCases()
        var splits = Splits()
        for recording in bearings.recordings {
            if recording.load == 0 {
                splits.training += try bearings.cases(recording, windowLength: windowLength, hop: windowLength / 4, fraction: 0..<0.8)
                splits.validation += try bearings.cases(recording, windowLength: windowLength, hop: windowLength / 2, fraction: 0.8..<1)
            } else if recording.load == 1 {
                splits.test += try bearings.cases(recording, windowLength: windowLength, hop: windowLength / 2)
            }
        }
        return splits
    }

    /// Keeps only the modalities in `kept` (others set missing); drops KG links unless `knowledge`.
    static func restricted(_ cases: [FusionCase], kept: Set<Int>, knowledge: Bool) -> [FusionCase] {
        cases.map { fusionCase in
            var copy = fusionCase
            copy.modalities = kept.sorted().map { fusionCase.modalities[$0] }
            if !knowledge { copy.entities = [] }
            return copy
        }
    }

    static func configuration(modalities: [Int], knowledge: Bool) -> FusionConfiguration {
        let all = [ModalitySpecification(name: "drive_end", tokenCount: BearingCases.frameTokens, featureSize: BearingCases.bandCount + 1),
                   ModalitySpecification(name: "fan_end", tokenCount: BearingCases.frameTokens, featureSize: BearingCases.bandCount + 1),
                   ModalitySpecification(name: "spectrogram", tokenCount: 16, featureSize: BearingCases.patchSize * BearingCases.patchSize)]
        return FusionConfiguration(
            modalities: modalities.map { all[$0] }, modelDimension: 64, headCount: 4, feedForwardDimension: 128, layerCount: 1,
            dropout: 0.1, classCount: 7, knowledgeEntityCount: knowledge ? BearingCases.entityNames.count : 0,
            knowledgeDimension: knowledge ? 16 : 0, knowledgeTokenCount: knowledge ? 6 : 0,
            classEntityIndices: knowledge ? Array(6..<13) : [], retrievalDimension: 32, gateHiddenDimension: 32,
            preNorm: true, activation: "gelu", seed: 17)
    }

    struct Outcome {
        var model: FusionModel
        var testAccuracy: Float
        var validationLogits: [[Float]]
        var testLogits: [[Float]]
        var testGates: [[Float]]
    }

    static func trainAndTest(_ splits: Splits, modalities: [Int], knowledge: Bool) throws -> Outcome {
        let configuration = configuration(modalities: modalities, knowledge: knowledge)
        let model = try FusionModel(configuration: configuration)
        if knowledge {
            // Seeded random entity vectors (no trained KG embedding model of the bearing ontology is at hand).
            var generator = SeededGenerator(seed: 5)
            try model.knowledge!.setTable((0..<(BearingCases.entityNames.count * 16)).map { _ in generator.nextNormal() * 0.25 })
        }
        let kept = Set(modalities)
        let training = restricted(splits.training, kept: kept, knowledge: knowledge)
        let validation = restricted(splits.validation, kept: kept, knowledge: knowledge)
        let test = restricted(splits.test, kept: kept, knowledge: knowledge)
        var options = FusionTrainingOptions()
        options.epochs = 20
        options.patience = 6
        options.learningRate = 2e-3
        options.modalityDropout = 0
        options.contrastiveWeight = 0.1
        try FusionTrainer(options: options).train(model: model, training: training, validation: validation)
        let (testLogits, testGates) = try model.evaluate(test)
        let labels = test.map { $0.label! }
        let accuracy = Float(zip(testLogits.map(argmax), labels).filter { $0 == $1 }.count) / Float(test.count)
        return Outcome(model: model, testAccuracy: accuracy, validationLogits: try model.evaluate(validation).logits,
                       testLogits: testLogits, testGates: testGates)
    }

    @Test("fused model reaches ≥ 0.95 on load 1 and at least the best single modality; calibration helps")
    func fusionLearnsBearingFaults() throws {
        BLAS.setThreadCount(1)
        let clock = ContinuousClock.now
        let splits = try Self.splits()
        #expect(Set(splits.training.map(\.label!)).count == 7)
        #expect(splits.test.allSatisfy { $0.label! != 0 })  // no normal recording at load 1 in this slice
        let names = ["drive_end", "fan_end", "spectrogram"]
        var single: [String: Float] = [:]
        for m in 0..<3 {
            single[names[m]] = try Self.trainAndTest(splits, modalities: [m], knowledge: false).testAccuracy
        }
        let withoutKnowledge = try Self.trainAndTest(splits, modalities: [0, 1, 2], knowledge: false)
        let fused = try Self.trainAndTest(splits, modalities: [0, 1, 2], knowledge: true)

        let validationLabels = splits.validation.map { $0.label! }
        let testLabels = splits.test.map { $0.label! }
        let temperature = Calibration.fitTemperature(logits: fused.validationLogits, labels: validationLabels)
        let eceBefore = Calibration.expectedCalibrationError(
            probabilities: Calibration.probabilities(logits: fused.testLogits, temperature: 1), labels: testLabels)
        let eceAfter = Calibration.expectedCalibrationError(
            probabilities: Calibration.probabilities(logits: fused.testLogits, temperature: temperature), labels: testLabels)
        let nllBefore = Calibration.negativeLogLikelihood(logits: fused.testLogits, labels: testLabels, temperature: 1)
        let nllAfter = Calibration.negativeLogLikelihood(logits: fused.testLogits, labels: testLabels, temperature: temperature)
        let groups = fused.model.configuration.gateGroupNames
        var meanGate = [Float](repeating: 0, count: groups.count)
        for row in fused.testGates { for g in row.indices { meanGate[g] += row[g] / Float(fused.testGates.count) } }
        let attention = try fused.model.knowledgeAttention(Array(splits.test.prefix(1)))

        let bestSingle = single.values.max()!
        print("""
            CWRU fusion (train load 0: \(splits.training.count) windows, validation \(splits.validation.count), \
            test load 1: \(splits.test.count)), \(ContinuousClock.now - clock)
              single modality test accuracy: \(names.map { "\($0) \(single[$0]!)" }.joined(separator: ", "))
              fused without KG tokens: \(withoutKnowledge.testAccuracy); fused with KG tokens: \(fused.testAccuracy)
              mean gate weights on test: \(zip(groups, meanGate).map { "\($0) \($1)" }.joined(separator: ", "))
              temperature \(temperature); test ECE (15 bins) \(eceBefore) → \(eceAfter); test NLL \(nllBefore) → \(nllAfter)
              CLS attention to KG slots, first test case: \(attention.first ?? [])
            """)
        #expect(fused.testAccuracy >= 0.95)
        #expect(fused.testAccuracy >= bestSingle)
        #expect(abs(meanGate.reduce(0, +) - 1) < 1e-4)
        #expect(eceAfter < eceBefore)
        // Normal recordings have no base accelerometer: its gate weight is exactly 0 there.
        let normalGates = try fused.model.evaluate(splits.validation.filter { $0.label == 0 }).gateWeights
        #expect(!normalGates.isEmpty && normalGates.allSatisfy { $0[2] == 0 && abs($0.reduce(0, +) - 1) < 1e-5 })
    }
}
