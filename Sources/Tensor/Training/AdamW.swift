import Foundation

/// Adam with decoupled weight decay (Loshchilov & Hutter 2019), as PyTorch's `torch.optim.AdamW`.
///
/// For each parameter p with gradient g at step t (from 1), learning rate η:
///   p ← p − η·λ·p (only for parameters selected for decay);
///   m ← β₁·m + (1 − β₁)·g, v ← β₂·v + (1 − β₂)·g²;
///   p ← p − η·(m/(1 − β₁ᵗ)) / (√(v/(1 − β₂ᵗ)) + ε).
/// Parameters whose gradient is nil are skipped for that step.
public final class AdamW {
    /// The parameters being optimised, with their names.
    public let parameters: [(String, Tensor)]
    /// The learning rate η used when `step()` is given none.
    public var learningRate: Float
    /// The first-moment decay β₁.
    public let beta1: Float
    /// The second-moment decay β₂.
    public let beta2: Float
    /// The denominator guard ε.
    public let epsilon: Float
    /// The decoupled weight decay λ.
    public let weightDecay: Float
    /// The number of steps taken.
    public private(set) var stepCount = 0
    private let decays: [Bool]
    private var firstMoments: [[Float]]
    private var secondMoments: [[Float]]

    /// Creates the optimiser. `decays(name, tensor)` picks the parameters that get weight decay; by default
    /// every parameter of rank ≥ 2 (matrices and tables, not biases or LayerNorm scales), the usual BERT recipe.
    public init(parameters: [(String, Tensor)], learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999,
                epsilon: Float = 1e-8, weightDecay: Float = 0.01,
                decays: (String, Tensor) -> Bool = { _, tensor in tensor.rank >= 2 }) {
        self.parameters = parameters
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        self.decays = parameters.map { decays($0.0, $0.1) }
        firstMoments = parameters.map { [Float](repeating: 0, count: $0.1.count) }
        secondMoments = parameters.map { [Float](repeating: 0, count: $0.1.count) }
    }

    /// Applies one update with `learningRate` (or the stored one) to every parameter that has a gradient.
    public func step(learningRate rate: Float? = nil) {
        let eta = rate ?? learningRate
        stepCount += 1
        let correction1 = 1 - pow(beta1, Float(stepCount))
        let correction2 = 1 - pow(beta2, Float(stepCount))
        let (b1, b2, eps) = (beta1, beta2, epsilon)
        for index in parameters.indices {
            let parameter = parameters[index].1
            guard let gradient = parameter.gradient else { continue }
            let decayFactor = decays[index] ? 1 - eta * weightDecay : 1
            gradient.withUnsafeBufferPointer { g in
                firstMoments[index].withUnsafeMutableBufferPointer { m in
                    secondMoments[index].withUnsafeMutableBufferPointer { v in
                        parameter.withMutableValues { p in
                            for i in 0..<p.count {
                                m[i] = b1 * m[i] + (1 - b1) * g[i]
                                v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i]
                                let update = (m[i] / correction1) / ((v[i] / correction2).squareRoot() + eps)
                                p[i] = p[i] * decayFactor - eta * update
                            }
                        }
                    }
                }
            }
        }
    }

    /// Clears every parameter's gradient.
    public func zeroGradients() {
        for (_, parameter) in parameters { parameter.zeroGradient() }
    }
}

/// Float power for the bias corrections.
private func pow(_ base: Float, _ exponent: Float) -> Float {
    Float(Foundation.pow(Double(base), Double(exponent)))
}
