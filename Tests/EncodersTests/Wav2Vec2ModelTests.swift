import Encoders
import Foundation
import Tensor
import Testing

/// wav2vec 2.0 against transformers' `Wav2Vec2Model` on the tiny random checkpoint, both weight-norm spellings,
/// padding masks, and training.
@Suite("Wav2Vec2 model")
struct Wav2Vec2ModelTests {
    init() { BLAS.setThreadCount(1) }

    /// The tiny checkpoint's output for its reference input.
    static func run(_ directory: String, _ reference: TinyCheckpoint) throws -> (lastHiddenState: Tensor, extractFeatures: Tensor) {
        guard case .wav2vec2(let model) = try Checkpoint.load(directory: directory) else {
            throw EncoderError(file: directory, message: "did not load as wav2vec2")
        }
        let samples = try #require(try reference.input().fields["input_values"])
        return GradientMode.withoutGradient { model(Tensor(shape: samples.shape, values: samples.floats)) }
    }

    @Test("tiny wav2vec2 matches transformers' last_hidden_state and extract_features within 1e-4")
    func matchesReference() throws {
        let reference = try TinyCheckpoint("wav2vec2")
        let output = try Self.run(reference.directory, reference)
        #expect(output.lastHiddenState.shape == [1, 799, 32])
        let hiddenDifference = try #require(reference.largestDifference("last_hidden_state", output.lastHiddenState))
        #expect(hiddenDifference < 1e-4, "last_hidden_state differs by \(hiddenDifference)")
        let featureDifference = try #require(reference.largestDifference("extract_features", output.extractFeatures))
        #expect(featureDifference < 1e-4, "extract_features differs by \(featureDifference)")
    }

    @Test("weight_g/weight_v and parametrizations.weight.original0/1 give identical outputs")
    func weightNormSpellings() throws {
        let reference = try TinyCheckpoint("wav2vec2")
        let file = try SafeTensorsFile(path: reference.directory + "/model.safetensors")
        #expect(file.names.contains("encoder.pos_conv_embed.conv.parametrizations.weight.original0"))
        let legacy = try copyCheckpoint(reference.directory) { name in
            name.replacingOccurrences(of: "parametrizations.weight.original0", with: "weight_g")
                .replacingOccurrences(of: "parametrizations.weight.original1", with: "weight_v")
        }
        let legacyFile = try SafeTensorsFile(path: legacy + "/model.safetensors")
        #expect(legacyFile.names.contains("encoder.pos_conv_embed.conv.weight_g"))
        #expect(!legacyFile.names.contains { $0.contains("parametrizations") })
        let current = try Self.run(reference.directory, reference)
        let renamed = try Self.run(legacy, reference)
        #expect(current.lastHiddenState.values == renamed.lastHiddenState.values)
        // Without g in either spelling the load fails and names both spellings.
        let withoutMagnitude = try copyCheckpoint(reference.directory) { $0.hasSuffix("original0") ? nil : $0 }
        #expect(throws: EncoderError.self) { try Checkpoint.load(directory: withoutMagnitude) }
        do {
            _ = try Checkpoint.load(directory: withoutMagnitude)
        } catch let error as EncoderError {
            #expect(error.field?.contains("encoder.pos_conv_embed.conv.weight_g") == true)
            #expect(error.field?.contains("parametrizations.weight.original0") == true)
        }
    }

    /// A small "layer"-norm model built in code.
    static func smallModel(stable: Bool) -> Wav2Vec2Model {
        let configuration = Wav2Vec2Configuration(
            convolutionChannels: [8, 8], convolutionKernels: [5, 3], convolutionStrides: [3, 2], convolutionBias: true,
            featureNorm: .layer, hiddenSize: 8, layerCount: 2, headCount: 2, intermediateSize: 16, positionalKernel: 4,
            positionalGroups: 2, stableLayerNorm: stable)
        let model = Wav2Vec2Model(configuration: configuration, seed: 9)
        model.setTraining(false)
        return model
    }

    @Test("with an attention mask, valid frames of a padded batch equal the unpadded run", arguments: [false, true])
    func paddingMask(stable: Bool) {
        let model = Self.smallModel(stable: stable)
        var generator = SeededGenerator(seed: 17)
        let short = Tensor.normal([1, 60], generator: &generator)
        let padded = Tensor(shape: [1, 90], values: short.values + [Float](repeating: 0, count: 30))
        let mask = [[Int](repeating: 1, count: 60) + [Int](repeating: 0, count: 30)]
        let alone = GradientMode.withoutGradient { model(short).lastHiddenState }
        let masked = GradientMode.withoutGradient { model(padded, sampleMask: mask).lastHiddenState }
        let unmasked = GradientMode.withoutGradient { model(padded).lastHiddenState }
        let frames = model.configuration.frameCount(forSamples: 60)
        #expect(alone.shape == [1, frames, 8])
        let valid = masked.slice(axis: 1, start: 0, length: frames)
        let worst = zip(valid.values, alone.values).map { abs($0 - $1) }.max() ?? 0
        #expect(worst < 1e-5, "masked run differs by \(worst)")
        // Without the mask the padding leaks in.
        let leaked = zip(unmasked.slice(axis: 1, start: 0, length: frames).values, alone.values).map { abs($0 - $1) }.max() ?? 0
        #expect(leaked > 1e-3)
    }

    @Test("a small wav2vec2 built in code trains: loss falls and every parameter gets a gradient", arguments: [false, true])
    func trains(stable: Bool) {
        let model = Self.smallModel(stable: stable)
        model.setTraining(true)
        var generator = SeededGenerator(seed: 23)
        let samples = Tensor.normal([2, 80], generator: &generator)
        let frames = model.configuration.frameCount(forSamples: 80)
        let target = Tensor.uniform([2, frames, 8], low: -1, high: 1, generator: &generator)
        let optimizer = AdamW(parameters: model.namedParameters(), learningRate: 1e-2, weightDecay: 0)
        func loss() -> Tensor { (model(samples).lastHiddenState - target).squared().mean() }
        let initial = GradientMode.withoutGradient { loss().scalarValue }
        var missing: [String] = []
        for step in 0..<40 {
            optimizer.zeroGradients()
            loss().backward()
            if step == 0 {
                missing = model.namedParameters().filter { _, tensor in
                    !(tensor.gradient?.contains { $0 != 0 } ?? false)
                }.map(\.0)
            }
            optimizer.step()
        }
        let final = GradientMode.withoutGradient { loss().scalarValue }
        #expect(missing.isEmpty, "no gradient for \(missing)")
        #expect(final < 0.7 * initial, "loss \(initial) → \(final)")
    }
}
