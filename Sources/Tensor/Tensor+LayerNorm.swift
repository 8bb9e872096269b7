/// Layer normalisation over the last axis, one fused loop forward and one backward.
extension Tensor {
    /// y = (x − μ)/√(σ² + ε) ⊙ γ + β per row, μ and σ² the mean and biased variance of the row.
    ///
    /// Shapes: x […, d], gamma [d], beta [d] → […, d]. Backward with x̂ = (x − μ)·r, r = 1/√(σ² + ε):
    /// dγ = Σ_rows dy ⊙ x̂, dβ = Σ_rows dy, dx = r·(ĝ − mean(ĝ) − x̂·mean(ĝ ⊙ x̂)) with ĝ = dy ⊙ γ.
    public func layerNorm(gamma: Tensor, beta: Tensor, epsilon: Float = 1e-5) -> Tensor {
        let x = self
        let length = shape.last ?? 1
        precondition(gamma.shape == [length] && beta.shape == [length],
                     "layerNorm: gamma \(gamma.shape) and beta \(beta.shape) must be [\(length)] for input \(shape)")
        let rows = length == 0 ? 0 : count / length
        let recording = Tensor.shouldRecord(x, gamma, beta)
        var normalized = recording ? [Float](repeating: 0, count: count) : []
        var inverseDeviations = recording ? [Float](repeating: 0, count: rows) : []
        let inverseLength = 1 / Float(Swift.max(length, 1))
        let outputValues = x.values.withUnsafeBufferPointer { xv in
            gamma.values.withUnsafeBufferPointer { g in
                beta.values.withUnsafeBufferPointer { b in
                    normalized.withUnsafeMutableBufferPointer { xhat in
                        inverseDeviations.withUnsafeMutableBufferPointer { r in
                            makeFloatArray(count: xv.count) { y in
                                // Rows are independent: shared among the pool's threads for large inputs.
                                let (x, g, b, xhat, r, y) = (xv.baseAddress!, g.baseAddress!, b.baseAddress!,
                                                             xhat.baseAddress, r.baseAddress, y.baseAddress!)
                                let pool = WorkerPool.shared
                                let chunks = xv.count >= Tensor.parallelElementThreshold ? pool.size : 1
                                pool.forEachRange(rows, chunks: chunks) { rowRange, _ in
                                    for row in rowRange {
                                        let base = row * length
                                        let (mean, inverse) = Tensor.rowMoments(x + base, length: length, epsilon: epsilon)
                                        if recording, let xhat, let r {
                                            r[row] = inverse
                                            for j in 0..<length {
                                                let value = (x[base + j] - mean) * inverse
                                                xhat[base + j] = value
                                                y[base + j] = value * g[j] + b[j]
                                            }
                                        } else {
                                            normalizeRow(x + base, mean: mean, inverse: inverse, gamma: g, beta: b,
                                                         into: y + base, count: length)
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        let result = Tensor(shape: shape, values: outputValues)
        guard recording else { return result }
        result.record(inputs: [x, gamma, beta]) { output in
            let dy = output.gradient!
            var dGamma = [Float](repeating: 0, count: length)
            var dBeta = [Float](repeating: 0, count: length)
            let dx = dy.withUnsafeBufferPointer { gy in
                normalized.withUnsafeBufferPointer { xhat in
                    inverseDeviations.withUnsafeBufferPointer { r in
                        gamma.values.withUnsafeBufferPointer { g in
                            dGamma.withUnsafeMutableBufferPointer { dg in
                                dBeta.withUnsafeMutableBufferPointer { db in
                                    makeFloatArray(count: gy.count) { dxv in
                                        for row in 0..<rows {
                                            let base = row * length
                                            var meanG: Float = 0, meanGX: Float = 0
                                            for j in 0..<length {
                                                let scaled = gy[base + j] * g[j]
                                                meanG += scaled
                                                meanGX += scaled * xhat[base + j]
                                                dg[j] += gy[base + j] * xhat[base + j]
                                                db[j] += gy[base + j]
                                            }
                                            meanG *= inverseLength
                                            meanGX *= inverseLength
                                            for j in 0..<length {
                                                dxv[base + j] = r[row] * (gy[base + j] * g[j] - meanG - xhat[base + j] * meanGX)
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            x.accumulateGradient(dx)
            gamma.accumulateGradient(dGamma)
            beta.accumulateGradient(dBeta)
        }
        return result
    }

    /// A row's mean μ = Σx/n and inverse deviation 1/√(Σ(x − μ)²/n + ε), over `length` floats.
    @inline(__always)
    static func rowMoments(_ x: UnsafePointer<Float>, length: Int, epsilon: Float) -> (mean: Float, inverse: Float) {
        let inverseLength = 1 / Float(Swift.max(length, 1))
        let mean = fastSum(x, count: length) * inverseLength
        let squares = centeredSquareSum(x, count: length, mean: mean)
        return (mean, 1 / (squares * inverseLength + epsilon).squareRoot())
    }

    /// Layer normalisation of raw rows, without recording: y = (x − μ)/√(σ² + ε) ⊙ γ + β per row of `length`,
    /// the same arithmetic as ``layerNorm(gamma:beta:epsilon:)``; rows shared among the pool's threads for large
    /// inputs. Shapes: x and y [rows, length] (y may not overlap x), gamma and beta [length].
    static func layerNormRows(
        _ x: UnsafePointer<Float>, rows: Int, length: Int, gamma: UnsafePointer<Float>, beta: UnsafePointer<Float>,
        epsilon: Float, into y: UnsafeMutablePointer<Float>
    ) {
        let pool = WorkerPool.shared
        let chunks = rows * length >= Tensor.parallelElementThreshold ? pool.size : 1
        pool.forEachRange(rows, chunks: chunks) { rowRange, _ in
            for row in rowRange {
                let base = row * length
                let (mean, inverse) = rowMoments(x + base, length: length, epsilon: epsilon)
                normalizeRow(x + base, mean: mean, inverse: inverse, gamma: gamma, beta: beta, into: y + base,
                             count: length)
            }
        }
    }
}

/// y = (x − mean)·inverse·γ + β over `count` floats, eight lanes at a time (each element as the scalar formula).
@inline(__always)
func normalizeRow(
    _ x: UnsafePointer<Float>, mean: Float, inverse: Float, gamma: UnsafePointer<Float>, beta: UnsafePointer<Float>,
    into y: UnsafeMutablePointer<Float>, count: Int
) {
    typealias Lanes = SIMD8<Float>
    var index = 0
    while index + 8 <= count {
        let value = (UnsafeRawPointer(x + index).loadUnaligned(as: Lanes.self) - mean) * inverse
            * UnsafeRawPointer(gamma + index).loadUnaligned(as: Lanes.self)
            + UnsafeRawPointer(beta + index).loadUnaligned(as: Lanes.self)
        UnsafeMutableRawPointer(y + index).storeBytes(of: value, as: Lanes.self)
        index += 8
    }
    while index < count {
        y[index] = (x[index] - mean) * inverse * gamma[index] + beta[index]
        index += 1
    }
}
