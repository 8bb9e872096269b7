import Foundation

/// Softmax and log-softmax over the last axis, each a fused row loop.
extension Tensor {
    /// Writes softmax of `length` values at `x` into `y` (which may equal `x`): yⱼ = e^(xⱼ − max x) / Σₖ e^(xₖ − max x).
    @inline(__always)
    static func softmaxRow(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, length: Int) {
        softmaxRow(x, y, mask: nil, length: length)
    }

    /// Softmax of the `length` values x + m (m the additive `mask` row, or 0 without one) written to `y` (which may
    /// equal `x`): yⱼ = e^(zⱼ − max z) / Σₖ e^(zₖ − max z), z = x + m.
    ///
    /// Eight lanes at a time: the maximum, then e^(z − max) with the vector `fastExp` and its sum in eight running
    /// partial sums (added up as `fastSum` does, so the result equals the scalar loop's), then the scaling.
    @inline(__always)
    static func softmaxRow(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, mask: UnsafePointer<Float>?,
                           length: Int) {
        typealias Lanes = SIMD8<Float>
        func load(_ pointer: UnsafePointer<Float>) -> Lanes { UnsafeRawPointer(pointer).loadUnaligned(as: Lanes.self) }
        func store(_ value: Lanes, _ pointer: UnsafeMutablePointer<Float>) {
            UnsafeMutableRawPointer(pointer).storeBytes(of: value, as: Lanes.self)
        }
        let full = length / 8 * 8
        // z = x + m into y, and its maximum (masked replace: the generic pointwiseMax is not inlined).
        var lanes = Lanes(repeating: -Float.infinity)
        var start = 0
        while start < full {
            var chunk = load(x + start)
            if let mask { chunk += load(mask + start) }
            store(chunk, y + start)
            lanes.replace(with: chunk, where: chunk .> lanes)
            start += 8
        }
        var maximum = -Float.infinity
        for lane in 0..<8 { maximum = Swift.max(maximum, lanes[lane]) }
        for j in full..<length {
            let value = mask.map { x[j] + $0[j] } ?? x[j]
            y[j] = value
            maximum = Swift.max(maximum, value)
        }
        // e^(z − max) and the sum.
        var partial = Lanes()
        start = 0
        while start < full {
            let value = fastExp(load(y + start) - maximum)
            store(value, y + start)
            partial += value
            start += 8
        }
        var total = ((partial[0] + partial[1]) + (partial[2] + partial[3]))
            + ((partial[4] + partial[5]) + (partial[6] + partial[7]))
        for j in full..<length {
            let value = fastExp(y[j] - maximum)
            y[j] = value
            total += value
        }
        let scale = 1 / total
        start = 0
        while start < full {
            store(load(y + start) * scale, y + start)
            start += 8
        }
        for j in full..<length { y[j] *= scale }
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
