import Foundation
import Tensor
import Testing

/// The inference-only kernels (stacked packed weights, product epilogues, the vector exp, the encoder layer's
/// inference path) against the plain, recorded operations they replace.
@Suite("Inference path", .serialized)
struct InferencePathTests {
    /// Random values in [−scale/2, scale/2) from a seed.
    static func values(_ count: Int, seed: UInt64, scale: Float = 1) -> [Float] {
        var generator = SeededGenerator(seed: seed)
        return (0..<count).map { _ in (generator.nextUniform() - 0.5) * scale }
    }

    /// The largest absolute difference of two equally long arrays.
    static func worst(_ a: [Float], _ b: [Float]) -> Float {
        precondition(a.count == b.count)
        return zip(a, b).map { abs($0 - $1) }.max() ?? 0
    }

    @Test("[W_q; W_k; W_v] stacked in one packed weight gives Q | K | V equal to three separate products",
          arguments: [1, 2])
    func stackedWeights(workers: Int) {
        let (width, count) = (96, 50)
        let weights = (0..<3).map { Tensor(shape: [width, width], values: Self.values(width * width, seed: 10 + UInt64($0))) }
        let x = Self.values(count * width, seed: 20)
        let stacked = PackedWeight(stacking: weights, outputLayout: .tokenMajor)
        #expect(stacked.outputs == 3 * width && stacked.inputs == width)
        var fused = [Float](repeating: 0, count: count * 3 * width)
        x.withUnsafeBufferPointer { xv in
            fused.withUnsafeMutableBufferPointer { yv in
                stacked.accumulateTokenMajor(input: xv.baseAddress!, inputStride: width, count: count,
                                             into: yv.baseAddress!, outputStride: 3 * width, workers: workers)
            }
        }
        for (index, weight) in weights.enumerated() {
            let single = PackedWeight(weight, outputLayout: .tokenMajor)
            var separate = [Float](repeating: 0, count: count * width)
            x.withUnsafeBufferPointer { xv in
                separate.withUnsafeMutableBufferPointer { yv in
                    single.accumulateTokenMajor(input: xv.baseAddress!, inputStride: width, count: count,
                                                into: yv.baseAddress!, outputStride: width, workers: workers)
                }
            }
            var part: [Float] = []
            for t in 0..<count {
                let start = t * 3 * width + index * width
                part += fused[start..<(start + width)]
            }
            #expect(Self.worst(part, separate) <= 1e-5, "projection \(index)")
            // And against the plain product, so that a wrong stacking cannot match a wrong single product.
            let reference = Tensor(shape: [count, width], values: x).matmul(weight, transposeOther: true).values
            #expect(Self.worst(part, reference) <= 1e-4, "projection \(index) against matmul")
        }
    }

    @Test("a token-major product with bias, addend and GELU epilogue equals gelu(x·Wᵀ + b + addend)", arguments: [1, 2])
    func epilogue(workers: Int) {
        let (inputs, outputs, count) = (500, 200, 40)
        let weight = Tensor(shape: [outputs, inputs], values: Self.values(outputs * inputs, seed: 30))
        let bias = Tensor(shape: [outputs], values: Self.values(outputs, seed: 31))
        let addend = Tensor(shape: [count, outputs], values: Self.values(count * outputs, seed: 32, scale: 4))
        let x = Tensor(shape: [count, inputs], values: Self.values(count * inputs, seed: 33))
        let plain = x.linear(weight: weight, bias: bias) + addend
        let packed = PackedWeight(weight, outputLayout: .tokenMajor)
        for epilogue in [PackedWeight.Epilogue.none, .gelu, .relu] {
            let expected = switch epilogue {
            case .none: plain.values
            case .gelu: plain.gelu().values
            case .relu: plain.relu().values
            }
            // Start from garbage: with bias or addend the output is written, not read.
            var output = [Float](repeating: .nan, count: count * outputs)
            x.values.withUnsafeBufferPointer { xv in
                bias.values.withUnsafeBufferPointer { b in
                    addend.values.withUnsafeBufferPointer { a in
                        output.withUnsafeMutableBufferPointer { y in
                            packed.accumulateTokenMajor(input: xv.baseAddress!, inputStride: inputs, count: count,
                                                        into: y.baseAddress!, outputStride: outputs, bias: b.baseAddress!,
                                                        addend: a.baseAddress!, addendStride: outputs,
                                                        epilogue: epilogue, workers: workers)
                        }
                    }
                }
            }
            #expect(Self.worst(output, expected) <= 1e-5, "epilogue \(epilogue)")
        }
        // GELU really ran: it changes negative sums.
        #expect(Self.worst(plain.gelu().values, plain.values) > 0.1)
    }

    @Test("vector exp: relative error below 2e-7 against Double exp on [−87, 88]; 0 for −∞, −1e9 and below −87.34; 1 at 0")
    func vectorExponential() {
        var inputs: [Float] = stride(from: Float(-87), through: 88, by: 0.01).map { $0 }
        inputs += Self.values(20_000, seed: 40, scale: 20)
        let special: [Float] = [0, -0.0, -.infinity, -1e9, -87.5, -100, -3.4e38, 1e-30, -1e-30]
        inputs += special
        var output = [Float](repeating: .nan, count: inputs.count)
        inputs.withUnsafeBufferPointer { x in
            output.withUnsafeMutableBufferPointer { y in vectorExp(x.baseAddress!, into: y.baseAddress!, count: x.count) }
        }
        var worstRelative = 0.0
        for (x, y) in zip(inputs, output) where x >= -87 && x <= 88 {
            let reference = Foundation.exp(Double(x))
            worstRelative = max(worstRelative, abs(Double(y) - reference) / reference)
        }
        #expect(worstRelative < 2e-7, "worst relative error \(worstRelative)")
        let tail = Array(output.suffix(special.count))
        #expect(tail[0] == 1 && tail[1] == 1)
        #expect(tail[2] == 0 && tail[3] == 0 && tail[4] == 0 && tail[5] == 0 && tail[6] == 0)
        #expect(abs(tail[7] - 1) <= 1e-7 && abs(tail[8] - 1) <= 1e-7)
        // The lanes and the scalar tail agree: the same input at every position of an odd-length run.
        let repeated = [Float](repeating: -3.75, count: 13)
        var lanes = [Float](repeating: 0, count: 13)
        repeated.withUnsafeBufferPointer { x in
            lanes.withUnsafeMutableBufferPointer { y in vectorExp(x.baseAddress!, into: y.baseAddress!, count: 13) }
        }
        #expect(Set(lanes).count == 1)
    }

    @Test("softmax of a row with masked keys: −1e9 and −∞ get weight 0, the rest sums to 1")
    func maskedSoftmax() {
        var row = Self.values(19, seed: 50, scale: 10)
        row[3] = -1e9
        row[11] = -.infinity
        row[17] += -1e9
        let probabilities = Tensor(shape: [1, 19], values: row).softmax().values
        #expect(probabilities[3] == 0 && probabilities[11] == 0 && probabilities[17] == 0)
        #expect(abs(probabilities.reduce(0, +) - 1) < 1e-6)
        let kept = (0..<19).filter { ![3, 11, 17].contains($0) }
        let maximum = kept.map { Double(row[$0]) }.max()!
        let total = kept.map { Foundation.exp(Double(row[$0]) - maximum) }.reduce(0, +)
        for j in kept {
            #expect(abs(Double(probabilities[j]) - Foundation.exp(Double(row[j]) - maximum) / total) < 1e-6)
        }
    }

    @Test("encoder layer: the inference path equals the recorded path within 1e-5",
          arguments: [(TransformerEncoderLayer.NormPosition.pre, TransformerEncoderLayer.Activation.gelu, 1),
                      (.pre, .gelu, 2), (.post, .gelu, 1), (.post, .relu, 2), (.pre, .relu, 1)])
    func encoderLayer(normPosition: TransformerEncoderLayer.NormPosition, activation: TransformerEncoderLayer.Activation,
                      threads: Int) {
        let previous = BLAS.threadCount
        BLAS.setThreadCount(threads)
        defer { BLAS.setThreadCount(previous) }
        var generator = SeededGenerator(seed: 60)
        let layer = TransformerEncoderLayer(modelDimension: 64, headCount: 4, feedForwardDimension: 200, dropout: 0.1,
                                            activation: activation, normPosition: normPosition, layerNormEpsilon: 1e-5,
                                            generator: &generator)
        layer.setTraining(false)
        let (batch, length) = (2, 23)
        let input = Tensor(shape: [batch, length, 64], values: Self.values(batch * length * 64, seed: 61, scale: 2))
        // Sequence 1 has its last 5 keys masked.
        let mask = Tensor(shape: [batch, length],
                          values: (0..<(batch * length)).map { $0 >= 2 * length - 5 ? -1e9 : 0 })
        let recorded = layer(input, additiveMask: mask)
        let inferred = GradientMode.withoutGradient { layer(input, additiveMask: mask) }
        #expect(inferred.shape == recorded.shape)
        #expect(Self.worst(inferred.values, recorded.values) <= 1e-5,
                "max difference \(Self.worst(inferred.values, recorded.values))")
        // The masked keys matter: without the mask sequence 1 changes.
        let unmasked = GradientMode.withoutGradient { layer(input) }
        #expect(Self.worst(Array(unmasked.values[(length * 64)...]), Array(inferred.values[(length * 64)...])) > 1e-3)
        // A weight change reaches the fused query-key-value product.
        layer.attention.key.weight.withMutableValues { values in for index in values.indices { values[index] *= 1.5 } }
        let recordedAgain = layer(input, additiveMask: mask)
        let inferredAgain = GradientMode.withoutGradient { layer(input, additiveMask: mask) }
        #expect(Self.worst(inferredAgain.values, recordedAgain.values) <= 1e-5)
        #expect(Self.worst(inferredAgain.values, inferred.values) > 1e-3)
    }
}
