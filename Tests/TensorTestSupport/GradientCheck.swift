import Testing
import Tensor

/// Finite-difference gradient checks shared by the op and layer tests.
///
/// The scalar checked is L = Σ y ⊙ w for a fixed random w of y's shape, so every output element matters.
/// Each input element is perturbed by ±h and the central difference (L(x+h) − L(x−h))/2h is compared with
/// the backward pass: |analytic − numeric| ≤ absoluteTolerance + relativeTolerance·max(|analytic|, |numeric|).
/// Float32 arithmetic limits the numeric side to about 1e-7·|L|/h, hence h = 1e-2 and tolerances near 1e-2.
public struct GradientCheck {
    /// The finite-difference step h.
    public var step: Float = 1e-2
    /// The relative part of the tolerance.
    public var relativeTolerance: Float = 2e-2
    /// The absolute part of the tolerance.
    public var absoluteTolerance: Float = 2e-3

    /// A check with the given step and tolerances.
    public init(step: Float = 1e-2, relativeTolerance: Float = 2e-2, absoluteTolerance: Float = 2e-3) {
        self.step = step
        self.relativeTolerance = relativeTolerance
        self.absoluteTolerance = absoluteTolerance
    }

    /// Checks d(Σ f() ⊙ w)/d(input) for every input; returns the largest normalised error seen.
    @discardableResult
    public func check(_ inputs: [Tensor], sourceLocation: SourceLocation = #_sourceLocation, _ function: () -> Tensor) -> Float {
        var generator = SeededGenerator(seed: 99)
        let probe = function()
        let weights = Tensor.uniform(probe.shape, low: -1, high: 1, generator: &generator)
        func loss() -> Float {
            let output = function()
            var total: Double = 0
            for (value, weight) in zip(output.values, weights.values) { total += Double(value) * Double(weight) }
            return Float(total)
        }
        for input in inputs {
            input.requiresGradient = true
            input.zeroGradient()
        }
        (function() * weights).sum().backward()
        var worst: Float = 0
        for (inputIndex, input) in inputs.enumerated() {
            guard let analytic = input.gradient else {
                Issue.record("input \(inputIndex) (shape \(input.shape)) received no gradient", sourceLocation: sourceLocation)
                continue
            }
            var failures = 0
            for i in 0..<input.count {
                let original = input.values[i]
                var perturbed = input.values
                perturbed[i] = original + step
                input.assign(values: perturbed)
                let plus = loss()
                perturbed[i] = original - step
                input.assign(values: perturbed)
                let minus = loss()
                perturbed[i] = original
                input.assign(values: perturbed)
                let numeric = (plus - minus) / (2 * step)
                let error = abs(analytic[i] - numeric)
                let allowed = absoluteTolerance + relativeTolerance * max(abs(analytic[i]), abs(numeric))
                worst = max(worst, error / allowed)
                if error > allowed {
                    failures += 1
                    if failures <= 3 {
                        Issue.record("input \(inputIndex) element \(i): analytic \(analytic[i]) numeric \(numeric)",
                                     sourceLocation: sourceLocation)
                    }
                }
            }
        }
        return worst
    }
}

/// A tensor of uniform values in [low, high) from a fixed seed, requiring a gradient.
public func randomTensor(_ shape: [Int], seed: UInt64, low: Float = -1, high: Float = 1) -> Tensor {
    var generator = SeededGenerator(seed: seed)
    return Tensor.uniform(shape, low: low, high: high, generator: &generator, requiresGradient: true)
}
