import Testing
import Tensor

/// Layer facts beyond gradients: masking, modes, and weight round trips.
@Suite("Layer behaviour")
struct LayerBehaviourTests {
    init() { BLAS.setThreadCount(1) }

    func makeLayer(seed: UInt64, normPosition: TransformerEncoderLayer.NormPosition = .post) -> TransformerEncoderLayer {
        var generator = SeededGenerator(seed: seed)
        return TransformerEncoderLayer(modelDimension: 16, headCount: 4, feedForwardDimension: 32, dropout: 0.1,
                                       normPosition: normPosition, generator: &generator)
    }

    @Test("padding tokens do not change the outputs at real positions", arguments: [TransformerEncoderLayer.NormPosition.post, .pre])
    func keyPaddingMask(normPosition: TransformerEncoderLayer.NormPosition) {
        let layer = makeLayer(seed: 80, normPosition: normPosition)
        layer.setTraining(false)
        var generator = SeededGenerator(seed: 81)
        let real = Tensor.normal([1, 3, 16], generator: &generator)
        let padded = Tensor.concatenate([real, Tensor.normal([1, 2, 16], generator: &generator)], axis: 1)
        let other = Tensor.concatenate([real, Tensor.normal([1, 2, 16], generator: &generator)], axis: 1)
        let mask = Tensor.additiveKeyPaddingMask([[1, 1, 1, 0, 0]])
        let short = layer(real)
        let first = layer(padded, additiveMask: mask).slice(axis: 1, start: 0, length: 3)
        let second = layer(other, additiveMask: mask).slice(axis: 1, start: 0, length: 3)
        #expect(zip(short.values, first.values).allSatisfy { abs($0 - $1) < 1e-5 })
        #expect(zip(first.values, second.values).allSatisfy { abs($0 - $1) < 1e-5 })
        // Without the mask the padding leaks in.
        let leaked = layer(padded).slice(axis: 1, start: 0, length: 3)
        #expect(zip(short.values, leaked.values).contains { abs($0 - $1) > 1e-3 })
    }

    @Test("dropout changes training outputs and evaluation is deterministic")
    func modes() {
        let layer = makeLayer(seed: 82)
        var generator = SeededGenerator(seed: 83)
        let x = Tensor.normal([2, 4, 16], generator: &generator)
        let trainingA = layer(x), trainingB = layer(x)
        #expect(trainingA.values != trainingB.values)
        layer.setTraining(false)
        #expect(!layer.attentionDropout.isTraining && !layer.outputDropout.isTraining)
        #expect(layer(x).values == layer(x).values)
    }

    @Test("a state dictionary loads into a differently seeded layer and reproduces its outputs")
    func stateDictionaryRoundTrip() throws {
        let source = makeLayer(seed: 84), target = makeLayer(seed: 85)
        source.setTraining(false); target.setTraining(false)
        var generator = SeededGenerator(seed: 86)
        let x = Tensor.normal([2, 5, 16], generator: &generator)
        #expect(source(x).values != target(x).values)
        try target.load(source.stateDictionary(prefix: "encoder.layer.3."), prefix: "encoder.layer.3.", allowingUnused: false)
        #expect(source(x).values == target(x).values)
    }
}
