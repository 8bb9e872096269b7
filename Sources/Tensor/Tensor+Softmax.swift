import Foundation

/// Softmax and log-softmax over the last axis, each a fused row loop.
extension Tensor {
    /// Writes softmax of `length` values at `x` into `y` (which may equal `x`): yⱼ = e^(xⱼ − max x) / Σₖ e^(xₖ − max x).
    @inline(__always)
    static func softmaxRow(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, length: Int) {
        var maximum = -Float.infinity
        var start = 0
        if length >= 8 {
            // Eight running maxima (masked replace: the generic pointwiseMax is not inlined).
            var lanes = SIMD8<Float>(repeating: -Float.infinity)
            while start + 8 <= length {
                let chunk = UnsafeRawPointer(x + start).loadUnaligned(as: SIMD8<Float>.self)
                lanes.replace(with: chunk, where: chunk .> lanes)
                start += 8
            }
            maximum = lanes.max()
        }
        for j in start..<length { maximum = Swift.max(maximum, x[j]) }
        for j in 0..<length { y[j] = fastExp(x[j] - maximum) }
        let scale = 1 / fastSum(y, count: length)
        for j in 0..<length { y[j] *= scale }
    }

    /// Softmax over the last axis: yⱼ = e^(xⱼ) / Σₖ e^(xₖ) (computed with the row maximum subtracted).
    ///
    /// Shape […, n] → […, n]. Backward: dxⱼ = yⱼ·(dyⱼ − Σₖ dyₖ·yₖ).
    public func softmax() -> Tensor {
        let input = self
        let length = shape.last ?? 1
        let rows = length == 0 ? 0 : count / length
        let result = Tensor(shape: shape, values: values.withUnsafeBufferPointer { x in
            makeFloatArray(count: x.count) { y in
                for row in 0..<rows {
                    Tensor.softmaxRow(x.baseAddress! + row * length, y.baseAddress! + row * length, length: length)
                }
            }
        })
        if Tensor.shouldRecord(input) {
            result.record(inputs: [input]) { output in
                input.accumulateGradient(Tensor.softmaxBackward(gradient: output.gradient!, probabilities: output.values,
                                                                rows: rows, length: length))
            }
        }
        return result
    }

    /// dx = y ⊙ (dy − rowsum(dy ⊙ y)) for rows of `length`.
    static func softmaxBackward(gradient: [Float], probabilities: [Float], rows: Int, length: Int) -> [Float] {
        gradient.withUnsafeBufferPointer { g in
            probabilities.withUnsafeBufferPointer { y in
                makeFloatArray(count: g.count) { dx in
                    for row in 0..<rows {
                        let base = row * length
                        var inner: Float = 0
                        for j in 0..<length { inner += g[base + j] * y[base + j] }
                        for j in 0..<length { dx[base + j] = y[base + j] * (g[base + j] - inner) }
                    }
                }
            }
        }
    }

    /// Log-softmax over the last axis: yⱼ = xⱼ − log Σₖ e^(xₖ) (stable form with the row maximum).
    ///
    /// Shape […, n] → […, n]. Backward: dxⱼ = dyⱼ − e^(yⱼ)·Σₖ dyₖ.
    public func logSoftmax() -> Tensor {
        let input = self
        let length = shape.last ?? 1
        let rows = length == 0 ? 0 : count / length
        let result = Tensor(shape: shape, values: values.withUnsafeBufferPointer { x in
            makeFloatArray(count: x.count) { y in
                for row in 0..<rows {
                    let base = row * length
                    var maximum = -Float.infinity
                    for j in 0..<length { maximum = Swift.max(maximum, x[base + j]) }
                    var total: Float = 0
                    for j in 0..<length { total += fastExp(x[base + j] - maximum) }
                    let logTotal = maximum + Foundation.log(total)
                    for j in 0..<length { y[base + j] = x[base + j] - logTotal }
                }
            }
        })
        if Tensor.shouldRecord(input) {
            result.record(inputs: [input]) { output in
                let contribution = output.gradient!.withUnsafeBufferPointer { g in
                    output.values.withUnsafeBufferPointer { y in
                        makeFloatArray(count: g.count) { dx in
                            for row in 0..<rows {
                                let base = row * length
                                var total: Float = 0
                                for j in 0..<length { total += g[base + j] }
                                for j in 0..<length { dx[base + j] = g[base + j] - fastExp(y[base + j]) * total }
                            }
                        }
                    }
                }
                input.accumulateGradient(contribution)
            }
        }
        return result
    }
}
