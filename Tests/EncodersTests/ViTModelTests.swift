import Encoders
import Foundation
import Tensor
import Testing

/// The Vision Transformer against transformers' `ViTModel` on the tiny random checkpoint, and as a trainable model.
@Suite("ViT model")
struct ViTModelTests {
    init() { BLAS.setThreadCount(1) }

    @Test("tiny ViT matches transformers' last_hidden_state and pooler_output within 1e-4")
    func matchesReference() throws {
        let reference = try TinyCheckpoint("vit")
        let checkpoint = try Checkpoint.load(directory: reference.directory)
        guard case .vit(let model) = checkpoint else {
            Issue.record("model_type vit did not load as ViT")
            return
        }
        #expect(model.configuration.patchCount == 16)
        let output = try checkpoint.encode(reference.input())
        #expect(output.lastHiddenState.shape == [2, 17, 32])
        let hiddenDifference = try #require(reference.largestDifference("last_hidden_state", output.lastHiddenState))
        #expect(hiddenDifference < 1e-4, "last_hidden_state differs by \(hiddenDifference)")
        let pooled = try #require(output.poolerOutput)
        let pooledDifference = try #require(reference.largestDifference("pooler_output", pooled))
        #expect(pooledDifference < 1e-4, "pooler_output differs by \(pooledDifference)")
    }

    @Test("parameter names are exactly the checkpoint's tensor names")
    func parameterNames() throws {
        let reference = try TinyCheckpoint("vit")
        let file = try SafeTensorsFile(path: reference.directory + "/model.safetensors")
        guard case .vit(let model) = try Checkpoint.load(directory: reference.directory) else { return }
        #expect(Set(model.namedParameters().map(\.0)) == Set(file.names))
        #expect(model.parameterCount == 24_960)
    }

    @Test("a small ViT built in code trains: loss falls and every parameter gets a gradient")
    func trains() {
        let configuration = ViTConfiguration(hiddenSize: 16, layerCount: 2, headCount: 2, intermediateSize: 32, imageSize: 8,
                                             patchSize: 4, channelCount: 1, poolerOutputSize: 16)
        let model = ViTModel(configuration: configuration, seed: 3)
        var generator = SeededGenerator(seed: 5)
        let pixels = Tensor.normal([4, 1, 8, 8], generator: &generator)
        let target = Tensor.uniform([4, 16], low: -0.5, high: 0.5, generator: &generator)
        let optimizer = AdamW(parameters: model.namedParameters(), learningRate: 3e-3, weightDecay: 0)
        func loss() -> Tensor { (model(pixels).poolerOutput! - target).squared().mean() }
        let initial = GradientMode.withoutGradient { loss().scalarValue }
        var missing: [String] = []
        for step in 0..<30 {
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
        #expect(final < 0.5 * initial, "loss \(initial) → \(final)")
    }
}
