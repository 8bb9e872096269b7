/// Sums and means, over every element or along one axis.
extension Tensor {
    /// Splits `shape` around `axis` into (outer, extent, inner) so element (o, a, i) sits at (o·extent + a)·inner + i.
    static func splitAround(_ shape: [Int], axis: Int) -> (outer: Int, extent: Int, inner: Int) {
        (elementCount(of: Array(shape[..<axis])), shape[axis], elementCount(of: Array(shape[(axis + 1)...])))
    }

    /// s = Σᵢ xᵢ, shape `[]`; ds/dxᵢ = 1.
    public func sum() -> Tensor {
        let input = self
        let total = values.withUnsafeBufferPointer { x in
            var sum: Float = 0
            for value in x { sum += value }
            return sum
        }
        let result = Tensor(scalar: total)
        if Tensor.shouldRecord(input) {
            result.record(inputs: [input]) { output in
                input.accumulateGradient([Float](repeating: output.gradient![0], count: input.count))
            }
        }
        return result
    }

    /// m = (1/n)·Σᵢ xᵢ, shape `[]`.
    public func mean() -> Tensor {
        sum().scaled(by: 1 / Float(Swift.max(count, 1)))
    }

    /// s[o, i] = Σₐ x[o, a, i] along `axis` (negative counts from the end); the axis is kept with extent 1
    /// when `keepingDimension`, else removed. ds/dx = 1 broadcast back along the axis.
    public func sum(axis: Int, keepingDimension: Bool = false) -> Tensor {
        let input = self
        let resolved = Tensor.normalizedAxis(axis, rank: rank)
        let (outer, extent, inner) = Tensor.splitAround(shape, axis: resolved)
        var outputShape = shape
        if keepingDimension { outputShape[resolved] = 1 } else { outputShape.remove(at: resolved) }
        var sums = [Float](repeating: 0, count: outer * inner)
        values.withUnsafeBufferPointer { x in
            sums.withUnsafeMutableBufferPointer { s in
                for o in 0..<outer {
                    for a in 0..<extent {
                        let source = (o * extent + a) * inner
                        for i in 0..<inner { s[o * inner + i] += x[source + i] }
                    }
                }
            }
        }
        let result = Tensor(shape: outputShape, values: sums)
        if Tensor.shouldRecord(input) {
            result.record(inputs: [input]) { output in
                let contribution = output.gradient!.withUnsafeBufferPointer { g in
                    makeFloatArray(count: outer * extent * inner) { dx in
                        for o in 0..<outer {
                            for a in 0..<extent {
                                let target = (o * extent + a) * inner
                                for i in 0..<inner { dx[target + i] = g[o * inner + i] }
                            }
                        }
                    }
                }
                input.accumulateGradient(contribution)
            }
        }
        return result
    }

    /// m = (1/n)·Σₐ x along `axis`, n the axis extent.
    public func mean(axis: Int, keepingDimension: Bool = false) -> Tensor {
        let extent = shape[Tensor.normalizedAxis(axis, rank: rank)]
        return sum(axis: axis, keepingDimension: keepingDimension).scaled(by: 1 / Float(Swift.max(extent, 1)))
    }
}
