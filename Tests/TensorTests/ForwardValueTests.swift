import Foundation
import Testing
import TensorTestSupport
import Tensor

/// Forward values against hand-computed results and against compositions of simpler operations.
@Suite("Forward values")
struct ForwardValueTests {
    init() { BLAS.setThreadCount(1) }

    func maximumDifference(_ a: [Float], _ b: [Float]) -> Float {
        precondition(a.count == b.count)
        return zip(a, b).map { abs($0 - $1) }.max() ?? 0
    }

    @Test("2-D product by hand, and a batched product equals its per-batch products")
    func matrixProducts() {
        let a = Tensor(shape: [2, 2], values: [1, 2, 3, 4])
        let b = Tensor(shape: [2, 2], values: [5, 6, 7, 8])
        #expect(a.matmul(b).values == [19, 22, 43, 50])
        #expect(a.matmul(b, transposeSelf: true).values == [26, 30, 38, 44])
        #expect(a.matmul(b, transposeOther: true).values == [17, 23, 39, 53])
        let left = randomTensor([3, 4, 5], seed: 60), right = randomTensor([3, 5, 2], seed: 61)
        let batched = left.matmul(right)
        #expect(batched.shape == [3, 4, 2])
        for index in 0..<3 {
            let single = left.slice(axis: 0, start: index, length: 1).reshaped([4, 5])
                .matmul(right.slice(axis: 0, start: index, length: 1).reshaped([5, 2]))
            #expect(maximumDifference(Array(batched.values[(index * 8)..<(index * 8 + 8)]), single.values) < 1e-6)
        }
        let weight = randomTensor([2, 5], seed: 62)
        #expect(maximumDifference(left.linear(weight: weight, bias: nil).values,
                                  left.matmul(weight, transposeOther: true).values) < 1e-6)
    }

    @Test("broadcasting a column against a row")
    func broadcasting() {
        let column = Tensor(shape: [2, 1], values: [1, 2])
        let row = Tensor(shape: [3], values: [10, 20, 30])
        let sum = column + row
        #expect(sum.shape == [2, 3])
        #expect(sum.values == [11, 21, 31, 12, 22, 32])
        #expect((row / column).values == [10, 20, 30, 5, 10, 15])
    }

    @Test("softmax rows sum to one, ignore a shift, and log-softmax is their logarithm")
    func softmax() {
        let x = randomTensor([4, 7], seed: 63, low: -5, high: 5)
        let y = x.softmax()
        for row in 0..<4 { #expect(abs(y.values[(row * 7)..<(row * 7 + 7)].reduce(0, +) - 1) < 1e-6) }
        #expect(maximumDifference((x + 100).softmax().values, y.values) < 1e-6)
        #expect(maximumDifference(x.logSoftmax().values, y.values.map { Foundation.log($0) }) < 1e-5)
    }

    @Test("layer norm gives zero mean and unit variance per row")
    func layerNorm() {
        let x = randomTensor([3, 64], seed: 64, low: -4, high: 9)
        let y = x.layerNorm(gamma: .ones([64]), beta: .zeros([64]), epsilon: 1e-12)
        for row in 0..<3 {
            let values = y.values[(row * 64)..<(row * 64 + 64)]
            let mean = values.reduce(0, +) / 64
            let variance = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 64
            #expect(abs(mean) < 1e-5)
            #expect(abs(variance - 1) < 1e-4)
        }
    }

    @Test("GELU matches ½x(1 + erf(x/√2)) at known points")
    func gelu() {
        // Φ(1) = 0.8413447, Φ(−1) = 0.1586553, Φ(2) = 0.9772499.
        let y = Tensor(shape: [4], values: [1, -1, 2, 0]).gelu()
        #expect(maximumDifference(y.values, [0.8413447, -0.1586553, 1.9544997, 0]) < 1e-6)
    }

    @Test("exp and GELU agree with double-precision references over their useful range")
    func fastFunctionsAccuracy() {
        let inputs = (0...20_000).map { Float($0) * 0.0085 - 85 }
        let exponentials = Tensor(shape: [inputs.count], values: inputs).exp().values
        var worstExp = 0.0
        for (x, y) in zip(inputs, exponentials) {
            let reference: Double = Foundation.exp(Double(x))
            worstExp = max(worstExp, abs(Double(y) - reference) / reference)
        }
        #expect(worstExp < 3e-7, "exp relative error \(worstExp)")
        #expect(Tensor(shape: [1], values: [-1e9]).exp().values[0] < 1e-37)
        let geluInputs = (0...12_000).map { Float($0) * 0.001 - 6 }
        let gelus = Tensor(shape: [geluInputs.count], values: geluInputs).gelu().values
        var worstGelu = 0.0
        for (x, y) in zip(geluInputs, gelus) {
            let input = Double(x)
            let reference: Double = 0.5 * input * (1 + erf(input / 2.0.squareRoot()))
            worstGelu = max(worstGelu, abs(Double(y) - reference) / max(1, abs(input)))
        }
        #expect(worstGelu < 1e-6, "GELU error \(worstGelu)")
    }

    @Test("fused attention equals the composed operations with permuted heads")
    func attentionMatchesComposition() {
        let (batch, length, width, heads) = (2, 5, 12, 3)
        let q = randomTensor([batch, length, width], seed: 65)
        let k = randomTensor([batch, length, width], seed: 66)
        let v = randomTensor([batch, length, width], seed: 67)
        let mask = Tensor.additiveKeyPaddingMask([[1, 1, 1, 1, 1], [1, 1, 0, 0, 0]])
        let fused = Tensor.scaledDotProductAttention(query: q, key: k, value: v, headCount: heads, additiveMask: mask)
        let scores = q.splittingHeads(heads).matmul(k.splittingHeads(heads), transposeOther: true)
            .scaled(by: 1 / Float(width / heads).squareRoot()) + mask.reshaped([batch, 1, 1, length])
        let composed = scores.softmax().matmul(v.splittingHeads(heads)).mergingHeads()
        #expect(composed.shape == fused.shape)
        #expect(maximumDifference(fused.values, composed.values) < 1e-5)
        // A padded key has no influence: changing its value leaves sequence 1 unchanged.
        var changed = v.values
        for j in (2 * length * width + 3 * width - length * width)..<(2 * length * width) { changed[j] += 10 }
        let moved = Tensor.scaledDotProductAttention(query: q, key: k, value: Tensor(shape: v.shape, values: changed),
                                                     headCount: heads, additiveMask: mask)
        #expect(maximumDifference(Array(moved.values[(length * width)...]), Array(fused.values[(length * width)...])) < 1e-6)
    }

    @Test("permute, concatenate and split invert each other")
    func shapeRoundTrips() {
        let x = randomTensor([2, 3, 4], seed: 68)
        #expect(x.permuted([1, 2, 0]).permuted([2, 0, 1]).values == x.values)
        #expect(x.transposedLastTwo().shape == [2, 4, 3])
        #expect(x.transposedLastTwo().values[1] == x.values[4])
        let pieces = x.split(sizes: [1, 3], axis: 2)
        #expect(pieces.map(\.shape) == [[2, 3, 1], [2, 3, 3]])
        #expect(Tensor.concatenate(pieces, axis: -1).values == x.values)
        #expect(x.splittingHeads(2).mergingHeads().values == x.values)
    }

    @Test("masked fill and the additive key-padding mask")
    func masks() {
        let x = Tensor(shape: [2, 2], values: [1, 2, 3, 4])
        #expect(x.maskedFill(Tensor(shape: [2], values: [0, 1]), with: -7).values == [1, -7, 3, -7])
        #expect(Tensor.additiveKeyPaddingMask([[1, 0], [1, 1]]).values == [0, -1e9, 0, 0])
    }

    @Test("cross-entropy equals −mean log-softmax at the target, and smoothing mixes in the uniform term")
    func crossEntropy() {
        let logits = randomTensor([3, 4], seed: 69, low: -2, high: 2)
        let targets = [2, 0, 3]
        let logProbabilities = logits.logSoftmax().values
        let plain = targets.enumerated().map { -logProbabilities[$0.offset * 4 + $0.element] }.reduce(0, +) / 3
        #expect(abs(Loss.crossEntropy(logits: logits, targets: targets).scalarValue - plain) < 1e-5)
        let uniform = -logProbabilities.reduce(0, +) / 12
        let smoothed = Loss.crossEntropy(logits: logits, targets: targets, labelSmoothing: 0.2).scalarValue
        #expect(abs(smoothed - (0.8 * plain + 0.2 * uniform)) < 1e-5)
    }

    @Test("InfoNCE is small for aligned pairs and large for shuffled pairs")
    func infoNCE() {
        let a = randomTensor([8, 16], seed: 70)
        let aligned = Loss.symmetricInfoNCE(first: a, second: a, temperature: 0.05).scalarValue
        // Rotate the rows so every row is paired with another sample.
        let rotated = Tensor.concatenate([a.slice(axis: 0, start: 1, length: 7), a.slice(axis: 0, start: 0, length: 1)], axis: 0)
        let shuffled = Loss.symmetricInfoNCE(first: a, second: rotated, temperature: 0.05).scalarValue
        #expect(aligned < 0.1)
        #expect(shuffled > 1)
    }

    @Test("no-grad mode records nothing")
    func noGradient() {
        var generator = SeededGenerator(seed: 71)
        let layer = Linear(inputSize: 3, outputSize: 2, generator: &generator)
        let x = randomTensor([4, 3], seed: 72)
        let recorded = layer(x).sum()
        #expect(recorded.requiresGradient)
        let plain = GradientMode.withoutGradient { layer(x).sum() }
        #expect(!plain.requiresGradient)
        plain.backward()
        #expect(layer.weight.gradient == nil)
        recorded.backward()
        #expect(layer.weight.gradient != nil)
        #expect(plain.scalarValue == recorded.scalarValue)
    }

    @Test("dropout zeroes about p of the elements and scales the rest by 1/(1 − p)")
    func dropoutStatistics() {
        var generator = SeededGenerator(seed: 73)
        let y = Tensor.ones([100_000]).dropout(probability: 0.25, generator: &generator)
        let zeros = y.values.filter { $0 == 0 }.count
        #expect(abs(Double(zeros) / 100_000 - 0.25) < 0.01)
        #expect(y.values.allSatisfy { $0 == 0 || abs($0 - 4 / 3) < 1e-6 })
    }
}
