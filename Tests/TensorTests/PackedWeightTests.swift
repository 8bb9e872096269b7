import Tensor
import Testing

/// Products with a packed weight against the plain `matmul` path, on shapes with tails in every dimension and
/// more than one packed input block.
@Suite("PackedWeight")
struct PackedWeightTests {
    /// Random values in [−0.5, 0.5) from a seed.
    static func values(_ count: Int, seed: UInt64) -> [Float] {
        var generator = SeededGenerator(seed: seed)
        return (0..<count).map { _ in generator.nextUniform() - 0.5 }
    }

    /// Reference Y [n, out] = X [n, in] · Wᵀ through `Tensor.matmul` (one cblas_sgemm).
    static func reference(_ x: [Float], _ w: [Float], count: Int, inputs: Int, outputs: Int) -> [Float] {
        Tensor(shape: [count, inputs], values: x)
            .matmul(Tensor(shape: [outputs, inputs], values: w), transposeOther: true).values
    }

    @Test("feature-major products match matmul", arguments: [(12, 1), (13, 2), (200, 2)])
    func featureMajor(count: Int, workers: Int) {
        let (outputs, inputs) = (130, 800)
        let w = Self.values(outputs * inputs, seed: 1)
        let x = Self.values(count * inputs, seed: 2)
        let expected = Self.reference(x, w, count: count, inputs: inputs, outputs: outputs)
        let packed = PackedWeight(weight: w, outputs: outputs, inputs: inputs)
        // Token-major and feature-major inputs, output Yᵀ [out, n] starting from 1 (the product accumulates).
        var transposed = [Float](repeating: 0, count: inputs * count)
        for t in 0..<count { for i in 0..<inputs { transposed[i * count + t] = x[t * inputs + i] } }
        for (layout, source, stride) in [(PackedWeight.InputLayout.tokenMajor, x, inputs), (.featureMajor, transposed, count)] {
            var output = [Float](repeating: 1, count: outputs * count)
            source.withUnsafeBufferPointer { xv in
                output.withUnsafeMutableBufferPointer { yv in
                    packed.accumulate(input: xv.baseAddress!, layout: layout, inputStride: stride, count: count,
                                      into: yv.baseAddress!, outputStride: count, workers: workers)
                }
            }
            var worst: Float = 0
            for t in 0..<count {
                for o in 0..<outputs { worst = max(worst, abs(output[o * count + t] - 1 - expected[t * outputs + o])) }
            }
            #expect(worst < 1e-4, "layout \(layout): max difference \(worst)")
        }
    }

    @Test("token-major products match matmul", arguments: [(5, 1), (136, 1), (137, 2), (400, 2)])
    func tokenMajor(count: Int, workers: Int) {
        let (outputs, inputs) = (200, 500)
        let w = Self.values(outputs * inputs, seed: 3)
        let x = Self.values(count * inputs, seed: 4)
        let expected = Self.reference(x, w, count: count, inputs: inputs, outputs: outputs)
        let packed = PackedWeight(weight: w, outputs: outputs, inputs: inputs, outputLayout: .tokenMajor)
        var output = [Float](repeating: 0, count: count * outputs)
        x.withUnsafeBufferPointer { xv in
            output.withUnsafeMutableBufferPointer { yv in
                packed.accumulateTokenMajor(input: xv.baseAddress!, inputStride: inputs, count: count,
                                            into: yv.baseAddress!, outputStride: outputs, workers: workers)
            }
        }
        let worst = zip(output, expected).map { abs($0 - $1) }.max() ?? 0
        #expect(worst < 1e-4, "max difference \(worst)")
    }

    @Test("Linear without gradients (packed) equals Linear with gradients, and follows weight updates")
    func linearInference() {
        var generator = SeededGenerator(seed: 5)
        let layer = Linear(inputSize: 96, outputSize: 70, generator: &generator)
        let input = Tensor(shape: [2, 40, 96], values: Self.values(2 * 40 * 96, seed: 6))
        let recorded = layer(input)
        let packed = GradientMode.withoutGradient { layer(input) }
        #expect(packed.shape == [2, 40, 70])
        #expect(zip(packed.values, recorded.values).allSatisfy { abs($0 - $1) < 1e-5 })
        // An in-place update of the weight must reach the next packed product.
        layer.weight.withMutableValues { values in for index in values.indices { values[index] *= 2 } }
        let doubled = layer(input)
        let packedAgain = GradientMode.withoutGradient { layer(input) }
        #expect(zip(packedAgain.values, doubled.values).allSatisfy { abs($0 - $1) < 1e-5 })
        #expect(zip(packedAgain.values, packed.values).contains { abs($0 - $1) > 1e-3 })
    }
}
