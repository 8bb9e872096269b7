import Foundation

/// Element-wise unary functions y = f(x), each with its derivative f′ for the backward pass dx = dy·f′.
extension Tensor {
    /// y[i] = forward(x[i]); backward dx[i] = dy[i]·derivative(x[i], y[i]).
    @inline(__always)
    func mapElements(_ forward: (Float) -> Float,
                     derivative: @escaping (_ x: Float, _ y: Float) -> Float) -> Tensor {
        let input = self
        let result = Tensor(shape: shape, values: values.withUnsafeBufferPointer { x in
            makeFloatArray(count: x.count) { y in for i in 0..<x.count { y[i] = forward(x[i]) } }
        })
        if Tensor.shouldRecord(input) {
            result.record(inputs: [input]) { output in
                let contribution = output.gradient!.withUnsafeBufferPointer { g in
                    input.values.withUnsafeBufferPointer { x in
                        output.values.withUnsafeBufferPointer { y in
                            makeFloatArray(count: g.count) { dx in
                                for i in 0..<g.count { dx[i] = g[i] * derivative(x[i], y[i]) }
                            }
                        }
                    }
                }
                input.accumulateGradient(contribution)
            }
        }
        return result
    }

    /// y = eˣ (relative error < 1e-7, see `fastExp`); dy/dx = y.
    public func exp() -> Tensor { mapElements({ fastExp($0) }, derivative: { _, y in y }) }

    /// y = ln x (x > 0); dy/dx = 1/x.
    public func log() -> Tensor { mapElements({ Foundation.log($0) }, derivative: { x, _ in 1 / x }) }

    /// y = √x (x ≥ 0); dy/dx = 1/(2y).
    public func squareRoot() -> Tensor { mapElements({ $0.squareRoot() }, derivative: { _, y in 0.5 / y }) }

    /// y = x²; dy/dx = 2x.
    public func squared() -> Tensor { mapElements({ $0 * $0 }, derivative: { x, _ in 2 * x }) }

    /// y = tanh x; dy/dx = 1 − y².
    public func tanh() -> Tensor { mapElements({ Foundation.tanh($0) }, derivative: { _, y in 1 - y * y }) }

    /// y = 1/(1 + e⁻ˣ); dy/dx = y(1 − y).
    public func sigmoid() -> Tensor {
        mapElements({ 1 / (1 + fastExp(-$0)) }, derivative: { _, y in y * (1 - y) })
    }

    /// y = max(x, 0); dy/dx = 1 for x > 0, else 0.
    public func relu() -> Tensor { mapElements({ max($0, 0) }, derivative: { x, _ in x > 0 ? 1 : 0 }) }

    /// GELU in the exact erf form BERT uses: y = ½·x·(1 + erf(x/√2)); dy/dx = Φ(x) + x·φ(x),
    /// with Φ the standard normal CDF and φ(x) = e^(−x²/2)/√(2π).
    /// erf is evaluated by the rational approximation in `fastErf` (absolute error < 5e-7).
    public func gelu() -> Tensor {
        let inverseSquareRootTwo: Float = 0.70710678118654752
        let inverseSquareRootTwoPi: Float = 0.39894228040143268
        let input = self
        let result = Tensor(shape: shape, values: values.withUnsafeBufferPointer { x in
            makeFloatArray(count: x.count) { y in
                if x.count > 0 { geluValues(x.baseAddress!, y.baseAddress!, count: x.count) }
            }
        })
        guard Tensor.shouldRecord(input) else { return result }
        result.record(inputs: [input]) { output in
            let contribution = output.gradient!.withUnsafeBufferPointer { g in
                input.values.withUnsafeBufferPointer { x in
                    makeFloatArray(count: g.count) { dx in
                        for i in 0..<g.count {
                            let value = x[i]
                            dx[i] = g[i] * (0.5 * (1 + fastErf(value * inverseSquareRootTwo))
                                + value * inverseSquareRootTwoPi * fastExp(-0.5 * value * value))
                        }
                    }
                }
            }
            input.accumulateGradient(contribution)
        }
        return result
    }

    /// GELU (erf form, `fastErf`) of `count` raw values from `input` into `output`; `output` may equal `input`.
    /// For hand-written forward passes (the BERT encoder); tensors use ``gelu()``.
    public static func gelu(_ input: UnsafePointer<Float>, into output: UnsafeMutablePointer<Float>, count: Int) {
        geluValues(input, output, count: count)
    }

    /// Replaces the values by their GELU in place; only for a fresh tensor that nothing has recorded or read yet
    /// (an inference temporary).
    func applyGeluInPlace() {
        values.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress, buffer.count > 0 else { return }
            let pool = WorkerPool.shared
            let chunks = buffer.count >= Self.parallelElementThreshold ? pool.size : 1
            pool.forEachRange(buffer.count, chunks: chunks, grain: 64) { range, _ in
                geluValues(base + range.lowerBound, base + range.lowerBound, count: range.count)
            }
        }
    }

    /// Elements from which inference-only element-wise loops (GELU in place, layer norm) are shared among the
    /// pool's threads; below it a loop costs less than handing it out.
    static let parallelElementThreshold = 1 << 15
}
