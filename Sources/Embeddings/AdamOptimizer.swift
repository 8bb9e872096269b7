import Foundation

/// Adam (Kingma & Ba 2015) over one parameter table [rows, width], with per-parameter moments.
///
/// For gradient g at step t (1-based): m ← β1·m + (1−β1)·g, v ← β2·v + (1−β2)·g²,
/// p ← p − lr·(m/(1−β1^t)) / (√(v/(1−β2^t)) + ε). Dense mode updates every row (rows without a gradient get g = 0,
/// exactly as PyTorch's Adam on a dense tensor); lazy mode updates only the rows touched in this step (as
/// PyTorch's SparseAdam), which costs O(touched rows) instead of O(rows) on large graphs.
final class AdamOptimizer: @unchecked Sendable {
    let parameters: FloatStorage
    let rows: Int
    let width: Int
    private let firstMoment: FloatStorage
    private let secondMoment: FloatStorage
    private let beta1: Float = 0.9
    private let beta2: Float = 0.999
    private let epsilon: Float = 1e-8

    /// An optimiser for `parameters` laid out as [rows, width].
    init(parameters: FloatStorage, rows: Int, width: Int) {
        self.parameters = parameters
        self.rows = rows
        self.width = width
        firstMoment = FloatStorage(count: rows * width)
        secondMoment = FloatStorage(count: rows * width)
    }

    /// Applies one Adam step with the accumulated `gradient` at 1-based step `step`.
    func step(gradient: RowGradient, learningRate: Float, step: Int, lazy: Bool) {
        let correction1 = 1 - Float(pow(Double(beta1), Double(step)))
        let correction2 = 1 - Float(pow(Double(beta2), Double(step)))
        let stepSize = learningRate / correction1
        let inverseRootCorrection2 = 1 / correction2.squareRoot()
        let b1 = SIMD8<Float>(repeating: beta1), b2 = SIMD8<Float>(repeating: beta2)
        let oneMinusB1 = SIMD8<Float>(repeating: 1 - beta1), oneMinusB2 = SIMD8<Float>(repeating: 1 - beta2)
        let epsilonVector = SIMD8<Float>(repeating: epsilon)
        let stepVector = SIMD8<Float>(repeating: stepSize)
        let rootCorrection = SIMD8<Float>(repeating: inverseRootCorrection2)
        for row in 0..<rows {
            let hasGradient = gradient.touched[row] != 0
            if lazy && !hasGradient { continue }
            let p = parameters.pointer + row * width
            let m = firstMoment.pointer + row * width
            let v = secondMoment.pointer + row * width
            let g = gradient.values.pointer + row * width  // zeros when the row is untouched
            var i = 0
            while i + 8 <= width {
                let gradientVector = loadVector(g, i)
                let mNew = b1 * loadVector(m, i) + oneMinusB1 * gradientVector
                let vNew = b2 * loadVector(v, i) + oneMinusB2 * gradientVector * gradientVector
                storeVector(mNew, m, i)
                storeVector(vNew, v, i)
                storeVector(loadVector(p, i) - stepVector * mNew / (vNew.squareRoot() * rootCorrection + epsilonVector),
                            p, i)
                i += 8
            }
            while i < width {
                let gradientValue = g[i]
                m[i] = beta1 * m[i] + (1 - beta1) * gradientValue
                v[i] = beta2 * v[i] + (1 - beta2) * gradientValue * gradientValue
                p[i] -= stepSize * m[i] / (v[i].squareRoot() * inverseRootCorrection2 + epsilon)
                i += 1
            }
        }
    }
}
