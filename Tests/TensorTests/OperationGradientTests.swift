import Testing
import TensorTestSupport
import Tensor

/// A central-difference check of the backward pass of every differentiable operation.
@Suite("Operation gradients")
struct OperationGradientTests {
    init() { BLAS.setThreadCount(1) }

    let checker = GradientCheck()

    /// Pairs of shapes that broadcast: same, trailing vector, middle singleton, column, scalar, both sides.
    static let broadcastShapes: [([Int], [Int])] = [
        ([2, 3, 4], [2, 3, 4]), ([2, 3, 4], [4]), ([2, 3, 4], [2, 1, 4]), ([3, 4], [3, 1]), ([3, 4], []), ([3, 1], [1, 4]),
    ]

    @Test("add, subtract, multiply, divide with broadcasting", arguments: broadcastShapes)
    func arithmetic(shapes: ([Int], [Int])) {
        let a = randomTensor(shapes.0, seed: 1)
        let b = randomTensor(shapes.1, seed: 2, low: 0.5, high: 1.5)
        checker.check([a, b]) { a + b }
        checker.check([a, b]) { a - b }
        checker.check([a, b]) { a * b }
        checker.check([a, b]) { a / b }
        checker.check([a, b]) { b - a * b }
    }

    @Test("scalar arithmetic and negation")
    func scalars() {
        let a = randomTensor([3, 5], seed: 3)
        checker.check([a]) { (2.5 * a + 1) - 0.5 }
        checker.check([a]) { 3 - a / 4 }
        checker.check([a]) { -a }
    }

    @Test("element-wise functions")
    func unary() {
        let any = randomTensor([4, 6], seed: 4, low: -2, high: 2)
        let positive = randomTensor([4, 6], seed: 5, low: 0.5, high: 2)
        checker.check([any]) { any.exp() }
        checker.check([positive]) { positive.log() }
        checker.check([positive]) { positive.squareRoot() }
        checker.check([any]) { any.squared() }
        checker.check([any]) { any.tanh() }
        checker.check([any]) { any.sigmoid() }
        checker.check([any]) { any.gelu() }
        // ReLU away from its kink at 0.
        let awayFromZero = Tensor(shape: [2, 3], values: [-1.5, 0.7, -0.3, 1.2, 0.4, -0.8])
        checker.check([awayFromZero]) { awayFromZero.relu() }
    }

    @Test("sum and mean, all and along each axis")
    func reductions() {
        let a = randomTensor([2, 3, 4], seed: 6)
        checker.check([a]) { a.sum() }
        checker.check([a]) { a.mean() }
        for axis in [0, 1, 2, -1] {
            checker.check([a]) { a.sum(axis: axis) }
            checker.check([a]) { a.mean(axis: axis, keepingDimension: true) }
        }
    }

    @Test("softmax and log-softmax over the last axis")
    func softmax() {
        let a = randomTensor([3, 2, 5], seed: 7, low: -3, high: 3)
        checker.check([a]) { a.softmax() }
        checker.check([a]) { a.logSoftmax() }
    }

    @Test("2-D matrix product, every transpose combination", arguments: [(false, false), (true, false), (false, true), (true, true)])
    func matmul2D(transposes: (Bool, Bool)) {
        let a = randomTensor(transposes.0 ? [4, 3] : [3, 4], seed: 8)
        let b = randomTensor(transposes.1 ? [5, 4] : [4, 5], seed: 9)
        checker.check([a, b]) { a.matmul(b, transposeSelf: transposes.0, transposeOther: transposes.1) }
    }

    @Test("batched and broadcast matrix products", arguments: [(false, false), (true, false), (false, true), (true, true)])
    func batchedMatmul(transposes: (Bool, Bool)) {
        let (tA, tB) = transposes
        let a = randomTensor(tA ? [2, 4, 3] : [2, 3, 4], seed: 10)
        let b = randomTensor(tB ? [2, 5, 4] : [2, 4, 5], seed: 11)
        checker.check([a, b]) { a.matmul(b, transposeSelf: tA, transposeOther: tB) }
        // [b, m, k]·[k, n] and [m, k]·[b, k, n]: the shared matrix sums its gradient over the batch.
        let shared = randomTensor(tB ? [5, 4] : [4, 5], seed: 12)
        checker.check([a, shared]) { a.matmul(shared, transposeSelf: tA, transposeOther: tB) }
        let sharedLeft = randomTensor(tA ? [4, 3] : [3, 4], seed: 13)
        checker.check([sharedLeft, b]) { sharedLeft.matmul(b, transposeSelf: tA, transposeOther: tB) }
    }

    @Test("linear map x·Wᵀ + b on a rank-3 input")
    func linear() {
        let x = randomTensor([2, 3, 4], seed: 14)
        let weight = randomTensor([5, 4], seed: 15)
        let bias = randomTensor([5], seed: 16)
        checker.check([x, weight, bias]) { x.linear(weight: weight, bias: bias) }
        checker.check([x, weight]) { x.linear(weight: weight, bias: nil) }
    }

    @Test("layer normalisation")
    func layerNorm() {
        let x = randomTensor([3, 2, 6], seed: 17, low: -2, high: 2)
        let gamma = randomTensor([6], seed: 18, low: 0.5, high: 1.5)
        let beta = randomTensor([6], seed: 19)
        checker.check([x, gamma, beta]) { x.layerNorm(gamma: gamma, beta: beta, epsilon: 1e-5) }
    }

    @Test("row gather with repeated indices")
    func gather() {
        let table = randomTensor([5, 3], seed: 20)
        checker.check([table]) { table.gatherRows([4, 0, 4, 2, 1, 4], indexShape: [2, 3]) }
    }

    @Test("concatenate, split and slice along each axis", arguments: [0, 1, 2])
    func concatenateAndSplit(axis: Int) {
        var firstShape = [2, 3, 4], secondShape = [2, 3, 4]
        secondShape[axis] = 1
        firstShape[axis] = 3
        let a = randomTensor(firstShape, seed: 21)
        let b = randomTensor(secondShape, seed: 22)
        checker.check([a, b]) { Tensor.concatenate([a, b, a], axis: axis) }
        checker.check([a]) {
            let pieces = a.split(sizes: [1, 2], axis: axis)
            return pieces[1] * pieces[1] + pieces[1].sum(axis: axis, keepingDimension: true) * pieces[0].sum()
        }
    }

    @Test("reshape, permute, transpose and head split/merge")
    func shapes() {
        let a = randomTensor([2, 3, 4], seed: 23)
        checker.check([a]) { a.reshaped([4, -1]).squared() }
        checker.check([a]) { a.permuted([2, 0, 1]) * a.permuted([2, 0, 1]).exp() }
        checker.check([a]) { a.transposedLastTwo().tanh() }
        checker.check([a]) { a.splittingHeads(2).squared() }
        let heads = randomTensor([2, 2, 3, 2], seed: 24)
        checker.check([heads]) { heads.mergingHeads().squared() }
    }

    @Test("masked fill and dropout")
    func masks() {
        let a = randomTensor([2, 3, 4], seed: 25)
        let mask = Tensor(shape: [2, 1, 4], values: [1, 0, 0, 1, 0, 0, 1, 0])
        checker.check([a]) { a.maskedFill(mask, with: -5).squared() }
        checker.check([a]) {
            var generator = SeededGenerator(seed: 77)
            return a.dropout(probability: 0.3, generator: &generator).squared()
        }
    }

    @Test("fused multi-head attention with a key-padding mask", arguments: [1, 2, 4])
    func attention(heads: Int) {
        let query = randomTensor([2, 3, 8], seed: 26)
        let key = randomTensor([2, 5, 8], seed: 27)
        let value = randomTensor([2, 5, 8], seed: 28)
        let mask = Tensor.additiveKeyPaddingMask([[1, 1, 1, 1, 1], [1, 1, 1, 0, 0]])
        checker.check([query, key, value]) {
            Tensor.scaledDotProductAttention(query: query, key: key, value: value, headCount: heads, additiveMask: mask)
        }
    }

    @Test("cross-entropy with and without label smoothing", arguments: [Float(0), 0.1])
    func crossEntropy(smoothing: Float) {
        let logits = randomTensor([4, 5], seed: 29, low: -2, high: 2)
        checker.check([logits]) { Loss.crossEntropy(logits: logits, targets: [3, 0, 4, 4], labelSmoothing: smoothing) }
    }

    @Test("symmetric InfoNCE with fixed and learnable temperature")
    func infoNCE() {
        let first = randomTensor([4, 6], seed: 30)
        let second = randomTensor([4, 6], seed: 31)
        checker.check([first, second]) { Loss.symmetricInfoNCE(first: first, second: second, temperature: 0.5) }
        let logScale = Tensor(shape: [1], values: [0.7])
        checker.check([first, second, logScale]) { Loss.symmetricInfoNCE(first: first, second: second, logScale: logScale) }
        checker.check([first]) { Loss.l2Normalized(first) }
    }
}
