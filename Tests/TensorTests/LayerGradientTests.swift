import Testing
import TensorTestSupport
import Tensor

/// A central-difference check of every layer, with respect to its input and every parameter.
@Suite("Layer gradients")
struct LayerGradientTests {
    init() { BLAS.setThreadCount(1) }

    let checker = GradientCheck()

    @Test("Linear")
    func linear() {
        var generator = SeededGenerator(seed: 40)
        let layer = Linear(inputSize: 4, outputSize: 3, generator: &generator)
        let x = randomTensor([2, 5, 4], seed: 41)
        checker.check([x] + layer.parameters()) { layer(x) }
    }

    @Test("Embedding")
    func embedding() {
        var generator = SeededGenerator(seed: 42)
        let layer = Embedding(count: 6, dimension: 3, generator: &generator)
        checker.check(layer.parameters()) { layer([1, 5, 1, 0], shape: [2, 2]).tanh() }
    }

    @Test("LayerNorm with non-trivial scale and shift")
    func layerNorm() {
        let layer = LayerNorm(dimension: 5, epsilon: 1e-5)
        layer.weight.assign(values: [0.5, 1.5, -1, 2, 0.7])
        layer.bias.assign(values: [0.1, -0.2, 0.3, 0, 1])
        let x = randomTensor([3, 5], seed: 43, low: -2, high: 2)
        checker.check([x] + layer.parameters()) { layer(x) }
    }

    @Test("Dropout: gradient through a fixed mask in training, identity in evaluation")
    func dropout() {
        let layer = Dropout(probability: 0.4, seed: 44)
        let x = randomTensor([4, 5], seed: 45)
        checker.check([x]) {
            layer.generator = SeededGenerator(seed: 46)
            return layer(x).squared()
        }
        layer.setTraining(false)
        #expect(layer(x) === x)
    }

    @Test("MultiHeadAttention with key padding", arguments: [1, 2])
    func multiHeadAttention(heads: Int) {
        var generator = SeededGenerator(seed: 47)
        let layer = MultiHeadAttention(modelDimension: 4, headCount: heads, generator: &generator)
        let x = randomTensor([2, 3, 4], seed: 48)
        let mask = Tensor.additiveKeyPaddingMask([[1, 1, 0], [1, 1, 1]])
        checker.check([x] + layer.parameters()) { layer(x, additiveMask: mask) }
        let memory = randomTensor([2, 5, 4], seed: 49)
        let memoryMask = Tensor.additiveKeyPaddingMask([[1, 1, 1, 1, 0], [1, 0, 0, 0, 0]])
        checker.check([x, memory]) { layer(query: x, keyValue: memory, additiveMask: memoryMask) }
    }

    static let encoderVariants: [(TransformerEncoderLayer.NormPosition, TransformerEncoderLayer.Activation)] = [
        (.post, .gelu), (.pre, .gelu), (.post, .relu),
    ]

    @Test("TransformerEncoderLayer, post-norm and pre-norm, with dropout on a fixed mask", arguments: encoderVariants)
    func encoderLayer(variant: (TransformerEncoderLayer.NormPosition, TransformerEncoderLayer.Activation)) {
        var generator = SeededGenerator(seed: 50)
        let layer = TransformerEncoderLayer(modelDimension: 4, headCount: 2, feedForwardDimension: 6, dropout: 0.2,
                                            activation: variant.1, normPosition: variant.0, layerNormEpsilon: 1e-5,
                                            generator: &generator)
        // Perturb the LayerNorm parameters away from (1, 0) so their gradients are exercised in general position.
        for norm in [layer.attentionNorm, layer.outputNorm] {
            norm.weight.assign(values: [0.8, 1.2, 1.1, 0.9])
            norm.bias.assign(values: [0.1, -0.1, 0.2, 0])
        }
        let x = randomTensor([2, 3, 4], seed: 51)
        let mask = Tensor.additiveKeyPaddingMask([[1, 1, 1], [1, 0, 0]])
        // Post-norm with ReLU has kinks; a smaller step keeps the central difference on one side of them.
        let local = variant.1 == .relu ? GradientCheck(step: 2e-3, relativeTolerance: 5e-2, absoluteTolerance: 5e-3) : checker
        local.check([x] + layer.parameters()) {
            layer.attentionDropout.generator = SeededGenerator(seed: 52)
            layer.outputDropout.generator = SeededGenerator(seed: 53)
            return layer(x, additiveMask: mask)
        }
    }

    @Test("TransformerEncoder of two blocks")
    func encoderStack() {
        var generator = SeededGenerator(seed: 54)
        let encoder = TransformerEncoder(layers: (0..<2).map { _ in
            TransformerEncoderLayer(modelDimension: 4, headCount: 2, feedForwardDimension: 5, dropout: 0,
                                    layerNormEpsilon: 1e-5, generator: &generator)
        })
        let x = randomTensor([1, 4, 4], seed: 55)
        checker.check([x] + encoder.parameters()) { encoder(x).sum(axis: 1) }
    }

    @Test("parameter names follow Hugging Face BERT's encoder.layer.N subtree")
    func names() {
        var generator = SeededGenerator(seed: 56)
        let encoder = TransformerEncoder(layers: (0..<2).map { _ in
            TransformerEncoderLayer(modelDimension: 8, headCount: 2, feedForwardDimension: 16, generator: &generator)
        })
        let named = Dictionary(uniqueKeysWithValues: encoder.namedParameters().map { ("encoder." + $0.0, $0.1.shape) })
        #expect(named.count == 32)
        #expect(named["encoder.layer.0.attention.self.query.weight"] == [8, 8])
        #expect(named["encoder.layer.1.attention.self.value.bias"] == [8])
        #expect(named["encoder.layer.0.attention.output.dense.weight"] == [8, 8])
        #expect(named["encoder.layer.0.attention.output.LayerNorm.weight"] == [8])
        #expect(named["encoder.layer.1.intermediate.dense.weight"] == [16, 8])
        #expect(named["encoder.layer.1.output.dense.weight"] == [8, 16])
        #expect(named["encoder.layer.1.output.LayerNorm.bias"] == [8])
    }
}
