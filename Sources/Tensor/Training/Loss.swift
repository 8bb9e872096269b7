import Foundation

/// Training losses; each returns a scalar tensor (shape `[]`) to call `backward()` on.
public enum Loss {
    /// Mean cross-entropy of class logits with optional label smoothing, fused with the log-softmax.
    ///
    /// Shapes: logits [N, C], `targets` N class indices in 0..<C. With p = softmax(logits) and the smoothed
    /// target q = (1 − ε)·onehot(target) + ε/C (PyTorch's `label_smoothing`):
    /// L = −(1/N)·Σᵢ Σ_c q_ic·log p_ic. Backward: dlogits = (p − q)/N.
    public static func crossEntropy(logits: Tensor, targets: [Int], labelSmoothing: Float = 0) -> Tensor {
        precondition(logits.rank == 2, "crossEntropy: logits shape \(logits.shape), need [N, C]")
        let (rows, classes) = (logits.shape[0], logits.shape[1])
        precondition(targets.count == rows, "crossEntropy: \(targets.count) targets for \(rows) rows")
        precondition(labelSmoothing >= 0 && labelSmoothing <= 1, "crossEntropy: label smoothing \(labelSmoothing) outside [0, 1]")
        if let bad = targets.first(where: { $0 < 0 || $0 >= classes }) {
            preconditionFailure("crossEntropy: target \(bad) outside 0..<\(classes)")
        }
        let recording = Tensor.shouldRecord(logits)
        var probabilities = recording ? [Float](repeating: 0, count: logits.count) : []
        let offTarget = labelSmoothing / Float(classes)
        let onTarget = 1 - labelSmoothing + offTarget
        var total: Double = 0
        logits.values.withUnsafeBufferPointer { x in
            probabilities.withUnsafeMutableBufferPointer { p in
                for row in 0..<rows {
                    let base = row * classes
                    var maximum = -Float.infinity
                    for c in 0..<classes { maximum = Swift.max(maximum, x[base + c]) }
                    var sum: Float = 0
                    var logitSum: Float = 0
                    for c in 0..<classes {
                        let e = fastExp(x[base + c] - maximum)
                        if recording { p[base + c] = e }
                        sum += e
                        logitSum += x[base + c]
                    }
                    let logNormalizer = maximum + Foundation.log(sum)
                    // −Σ_c q_c (x_c − logZ) = logZ − onTarget·x_t − offTarget·Σ_{c≠t} x_c
                    let target = x[base + targets[row]]
                    total += Double(logNormalizer - (onTarget - offTarget) * target - offTarget * logitSum)
                    if recording {
                        let inverse = 1 / sum
                        for c in 0..<classes { p[base + c] *= inverse }
                    }
                }
            }
        }
        let result = Tensor(scalar: Float(total / Double(Swift.max(rows, 1))))
        guard recording else { return result }
        result.record(inputs: [logits]) { output in
            let scale = output.gradient![0] / Float(Swift.max(rows, 1))
            var gradient = probabilities
            gradient.withUnsafeMutableBufferPointer { g in
                for row in 0..<rows {
                    let base = row * classes
                    for c in 0..<classes { g[base + c] = (g[base + c] - offTarget) * scale }
                    g[base + targets[row]] -= (onTarget - offTarget) * scale
                }
            }
            logits.accumulateGradient(gradient)
        }
        return result
    }

    /// Rows scaled to unit Euclidean length: y = x/√(Σ_j x_j² + ε), shape […, d] → […, d].
    public static func l2Normalized(_ input: Tensor, epsilon: Float = 1e-12) -> Tensor {
        input / (input.squared().sum(axis: -1, keepingDimension: true) + epsilon).squareRoot()
    }

    /// CLIP's symmetric InfoNCE with a fixed temperature τ.
    ///
    /// Shapes: `first`, `second` [N, D], row i of each a positive pair. With â, b̂ the L2-normalised rows and
    /// S = â·b̂ᵀ/τ [N, N]: L = ½·(CE(S, 0..<N) + CE(Sᵀ, 0..<N)).
    public static func symmetricInfoNCE(first: Tensor, second: Tensor, temperature: Float) -> Tensor {
        precondition(temperature > 0, "symmetricInfoNCE: temperature \(temperature) must be > 0")
        let similarities = similarityMatrix(first, second).scaled(by: 1 / temperature)
        return symmetricCrossEntropy(similarities)
    }

    /// CLIP's symmetric InfoNCE with a learnable logit scale: S = e^s·â·b̂ᵀ, s = `logScale` (shape [] or [1]).
    public static func symmetricInfoNCE(first: Tensor, second: Tensor, logScale: Tensor) -> Tensor {
        precondition(logScale.count == 1, "symmetricInfoNCE: logScale shape \(logScale.shape), need one value")
        let similarities = similarityMatrix(first, second) * logScale.reshaped([]).exp()
        return symmetricCrossEntropy(similarities)
    }

    /// â·b̂ᵀ for row-normalised [N, D] inputs → [N, N].
    static func similarityMatrix(_ first: Tensor, _ second: Tensor) -> Tensor {
        precondition(first.rank == 2 && first.shape == second.shape,
                     "symmetricInfoNCE: shapes \(first.shape) and \(second.shape), need equal [N, D]")
        return l2Normalized(first).matmul(l2Normalized(second), transposeOther: true)
    }

    /// ½·(CE(S, diagonal) + CE(Sᵀ, diagonal)) for a square S.
    static func symmetricCrossEntropy(_ similarities: Tensor) -> Tensor {
        let targets = Array(0..<similarities.shape[0])
        let rowLoss = crossEntropy(logits: similarities, targets: targets)
        let columnLoss = crossEntropy(logits: similarities.transposedLastTwo(), targets: targets)
        return (rowLoss + columnLoss).scaled(by: 0.5)
    }
}
