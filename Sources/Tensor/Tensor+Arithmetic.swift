/// Element-wise arithmetic with NumPy broadcasting, and arithmetic with scalars.
///
/// For `c = a ∘ b` with broadcast shape S, the backward pass sums the gradient over every axis an operand
/// was repeated along, so `da` has `a.shape` and `db` has `b.shape`.
extension Tensor {
    /// Which operand of a broadcast plan.
    enum Operand { case left, right }

    /// c[i] = op(a[i'], b[i'']) over the broadcast shape.
    @inline(__always)
    static func broadcastCombine(_ a: Tensor, _ b: Tensor, _ plan: BroadcastPlan,
                                 _ operation: (Float, Float) -> Float) -> [Float] {
        let count = plan.outputCount
        return a.values.withUnsafeBufferPointer { left in
            b.values.withUnsafeBufferPointer { right in
                makeFloatArray(count: count) { output in
                    if a.shape == b.shape {
                        for i in 0..<count { output[i] = operation(left[i], right[i]) }
                        return
                    }
                    plan.forEachRow { outOffset, leftOffset, rightOffset, length, leftStride, rightStride in
                        for i in 0..<length {
                            output[outOffset + i] = operation(left[leftOffset + i * leftStride],
                                                              right[rightOffset + i * rightStride])
                        }
                    }
                }
            }
        }
    }

    /// term[i] = f(g[i], y[i], x[i']) over the output, where x is the `side` operand seen through broadcasting.
    @inline(__always)
    static func broadcastTerm(_ plan: BroadcastPlan, gradient: [Float], output: [Float], operand: [Float],
                              side: Operand, _ f: (Float, Float, Float) -> Float) -> [Float] {
        let count = plan.outputCount
        return gradient.withUnsafeBufferPointer { g in
            output.withUnsafeBufferPointer { y in
                operand.withUnsafeBufferPointer { x in
                    makeFloatArray(count: count) { term in
                        if operand.count == count {
                            for i in 0..<count { term[i] = f(g[i], y[i], x[i]) }
                            return
                        }
                        plan.forEachRow { outOffset, leftOffset, rightOffset, length, leftStride, rightStride in
                            let offset = side == .left ? leftOffset : rightOffset
                            let step = side == .left ? leftStride : rightStride
                            for i in 0..<length {
                                term[outOffset + i] = f(g[outOffset + i], y[outOffset + i], x[offset + i * step])
                            }
                        }
                    }
                }
            }
        }
    }

    /// Sums a full-size array over the axes the `side` operand was broadcast along: result has `count` elements.
    static func reduceBroadcast(_ full: [Float], _ plan: BroadcastPlan, side: Operand, count: Int) -> [Float] {
        if full.count == count { return full }
        var result = [Float](repeating: 0, count: count)
        full.withUnsafeBufferPointer { source in
            result.withUnsafeMutableBufferPointer { target in
                plan.forEachRow { outOffset, leftOffset, rightOffset, length, leftStride, rightStride in
                    let offset = side == .left ? leftOffset : rightOffset
                    let step = side == .left ? leftStride : rightStride
                    if step == 0 {
                        var sum: Float = 0
                        for i in 0..<length { sum += source[outOffset + i] }
                        target[offset] += sum
                    } else {
                        for i in 0..<length { target[offset + i * step] += source[outOffset + i] }
                    }
                }
            }
        }
        return result
    }

    /// a + b with broadcasting; d/da = 1, d/db = 1.
    public static func + (a: Tensor, b: Tensor) -> Tensor {
        let plan = BroadcastPlan(a.shape, b.shape)
        let result = Tensor(shape: plan.outputShape, values: broadcastCombine(a, b, plan, +))
        if shouldRecord(a, b) {
            result.record(inputs: [a, b]) { output in
                let g = output.gradient!
                if a.requiresGradient { a.accumulateGradient(reduceBroadcast(g, plan, side: .left, count: a.count)) }
                if b.requiresGradient { b.accumulateGradient(reduceBroadcast(g, plan, side: .right, count: b.count)) }
            }
        }
        return result
    }

    /// a − b with broadcasting; d/da = 1, d/db = −1.
    public static func - (a: Tensor, b: Tensor) -> Tensor {
        let plan = BroadcastPlan(a.shape, b.shape)
        let result = Tensor(shape: plan.outputShape, values: broadcastCombine(a, b, plan, -))
        if shouldRecord(a, b) {
            result.record(inputs: [a, b]) { output in
                let g = output.gradient!
                if a.requiresGradient { a.accumulateGradient(reduceBroadcast(g, plan, side: .left, count: a.count)) }
                if b.requiresGradient {
                    let negated = g.map { -$0 }
                    b.accumulateGradient(reduceBroadcast(negated, plan, side: .right, count: b.count))
                }
            }
        }
        return result
    }

    /// a ⊙ b (element-wise product) with broadcasting; d/da = b, d/db = a.
    public static func * (a: Tensor, b: Tensor) -> Tensor {
        let plan = BroadcastPlan(a.shape, b.shape)
        let result = Tensor(shape: plan.outputShape, values: broadcastCombine(a, b, plan, *))
        if shouldRecord(a, b) {
            result.record(inputs: [a, b]) { output in
                let g = output.gradient!
                if a.requiresGradient {
                    let term = broadcastTerm(plan, gradient: g, output: output.values, operand: b.values, side: .right) { g, _, x in g * x }
                    a.accumulateGradient(reduceBroadcast(term, plan, side: .left, count: a.count))
                }
                if b.requiresGradient {
                    let term = broadcastTerm(plan, gradient: g, output: output.values, operand: a.values, side: .left) { g, _, x in g * x }
                    b.accumulateGradient(reduceBroadcast(term, plan, side: .right, count: b.count))
                }
            }
        }
        return result
    }

    /// a ⊘ b (element-wise quotient) with broadcasting; d/da = 1/b, d/db = −a/b² = −(a/b)/b.
    public static func / (a: Tensor, b: Tensor) -> Tensor {
        let plan = BroadcastPlan(a.shape, b.shape)
        let result = Tensor(shape: plan.outputShape, values: broadcastCombine(a, b, plan, /))
        if shouldRecord(a, b) {
            result.record(inputs: [a, b]) { output in
                let g = output.gradient!
                if a.requiresGradient {
                    let term = broadcastTerm(plan, gradient: g, output: output.values, operand: b.values, side: .right) { g, _, x in g / x }
                    a.accumulateGradient(reduceBroadcast(term, plan, side: .left, count: a.count))
                }
                if b.requiresGradient {
                    let term = broadcastTerm(plan, gradient: g, output: output.values, operand: b.values, side: .right) { g, y, x in -g * y / x }
                    b.accumulateGradient(reduceBroadcast(term, plan, side: .right, count: b.count))
                }
            }
        }
        return result
    }

    /// −a; d/da = −1.
    public static prefix func - (a: Tensor) -> Tensor {
        a.scaled(by: -1)
    }

    /// y = α·x + β element-wise (one pass); dy/dx = α.
    public func affine(scale alpha: Float, shift beta: Float) -> Tensor {
        let input = self
        let result = Tensor(shape: shape, values: values.withUnsafeBufferPointer { x in
            makeFloatArray(count: x.count) { y in for i in 0..<x.count { y[i] = alpha * x[i] + beta } }
        })
        if Tensor.shouldRecord(input) {
            result.record(inputs: [input]) { output in
                input.accumulateGradient(output.gradient!.map { alpha * $0 })
            }
        }
        return result
    }

    /// y = α·x; dy/dx = α.
    public func scaled(by alpha: Float) -> Tensor { affine(scale: alpha, shift: 0) }

    /// x + s for a scalar s.
    public static func + (a: Tensor, s: Float) -> Tensor { a.affine(scale: 1, shift: s) }
    /// s + x for a scalar s.
    public static func + (s: Float, a: Tensor) -> Tensor { a.affine(scale: 1, shift: s) }
    /// x − s for a scalar s.
    public static func - (a: Tensor, s: Float) -> Tensor { a.affine(scale: 1, shift: -s) }
    /// s − x for a scalar s.
    public static func - (s: Float, a: Tensor) -> Tensor { a.affine(scale: -1, shift: s) }
    /// x·s for a scalar s.
    public static func * (a: Tensor, s: Float) -> Tensor { a.affine(scale: s, shift: 0) }
    /// s·x for a scalar s.
    public static func * (s: Float, a: Tensor) -> Tensor { a.affine(scale: s, shift: 0) }
    /// x / s for a scalar s.
    public static func / (a: Tensor, s: Float) -> Tensor { a.affine(scale: 1 / s, shift: 0) }
}
