/// Reshape, axis permutation, concatenation and splitting.
extension Tensor {
    /// The same values under a new shape of equal element count; one extent may be −1 (inferred).
    /// No copy: the storage is shared copy-on-write. Backward reshapes the gradient back.
    public func reshaped(_ newShape: [Int]) -> Tensor {
        let input = self
        var resolved = newShape
        if let inferred = newShape.firstIndex(of: -1) {
            let known = newShape.enumerated().filter { $0.offset != inferred }.map(\.element).reduce(1, *)
            precondition(known > 0 && count % known == 0, "reshape: cannot infer -1 in \(newShape) from \(shape)")
            resolved[inferred] = count / known
        }
        precondition(Tensor.elementCount(of: resolved) == count, "reshape: \(shape) has \(count) elements, not \(resolved)")
        let result = Tensor(shape: resolved, values: values)
        if Tensor.shouldRecord(input) {
            result.record(inputs: [input]) { output in input.accumulateGradient(output.gradient!) }
        }
        return result
    }

    /// Reorders axes: output axis i is input axis `order[i]` (a permutation of 0..<rank).
    ///
    /// Shape: outputShape[i] = shape[order[i]]. Backward permutes the gradient by the inverse order.
    public func permuted(_ order: [Int]) -> Tensor {
        let input = self
        precondition(order.sorted() == Array(0..<rank), "permute: \(order) is not a permutation of 0..<\(rank)")
        let outputShape = order.map { shape[$0] }
        let result = Tensor(shape: outputShape, values: Tensor.permute(values, shape: shape, order: order))
        if Tensor.shouldRecord(input) {
            var inverse = [Int](repeating: 0, count: order.count)
            for (position, axis) in order.enumerated() { inverse[axis] = position }
            result.record(inputs: [input]) { output in
                input.accumulateGradient(Tensor.permute(output.gradient!, shape: outputShape, order: inverse))
            }
        }
        return result
    }

    /// Copies `source` of `shape` into the layout with axes in `order`; the last output axis is the inner loop.
    static func permute(_ source: [Float], shape: [Int], order: [Int]) -> [Float] {
        let rank = shape.count
        if rank == 0 || order == Array(0..<rank) { return source }
        var inputStrides = [Int](repeating: 1, count: rank)
        for axis in stride(from: rank - 2, through: 0, by: -1) { inputStrides[axis] = inputStrides[axis + 1] * shape[axis + 1] }
        let outputShape = order.map { shape[$0] }
        let strides = order.map { inputStrides[$0] }
        let total = source.count
        let length = outputShape[rank - 1]
        let innerStride = strides[rank - 1]
        return source.withUnsafeBufferPointer { x in
            makeFloatArray(count: total) { y in
                guard total > 0 else { return }
                var index = [Int](repeating: 0, count: rank)
                var offset = 0
                var position = 0
                while position < total {
                    for i in 0..<length { y[position + i] = x[offset + i * innerStride] }
                    position += length
                    var axis = rank - 2
                    while axis >= 0 {
                        index[axis] += 1
                        offset += strides[axis]
                        if index[axis] < outputShape[axis] { break }
                        offset -= strides[axis] * index[axis]
                        index[axis] = 0
                        axis -= 1
                    }
                }
            }
        }
    }

    /// Swaps the last two axes: […, m, n] → […, n, m].
    public func transposedLastTwo() -> Tensor {
        precondition(rank >= 2, "transposedLastTwo: rank \(rank) < 2")
        var order = Array(0..<rank)
        order.swapAt(rank - 1, rank - 2)
        return permuted(order)
    }

    /// Splits the last axis into heads and moves them forward: [b, s, h·d] → [b, h, s, d].
    public func splittingHeads(_ headCount: Int) -> Tensor {
        precondition(rank == 3 && shape[2] % headCount == 0, "splittingHeads: shape \(shape) with \(headCount) heads")
        return reshaped([shape[0], shape[1], headCount, shape[2] / headCount]).permuted([0, 2, 1, 3])
    }

    /// The inverse of `splittingHeads`: [b, h, s, d] → [b, s, h·d].
    public func mergingHeads() -> Tensor {
        precondition(rank == 4, "mergingHeads: shape \(shape), need [b, h, s, d]")
        return permuted([0, 2, 1, 3]).reshaped([shape[0], shape[2], shape[1] * shape[3]])
    }

    /// Joins tensors along `axis`; all other extents must agree. Backward slices the gradient back.
    public static func concatenate(_ tensors: [Tensor], axis: Int) -> Tensor {
        precondition(!tensors.isEmpty, "concatenate: no tensors")
        let first = tensors[0]
        let resolved = normalizedAxis(axis, rank: first.rank)
        for tensor in tensors {
            var expected = first.shape, actual = tensor.shape
            precondition(expected.count == actual.count, "concatenate: ranks differ, \(first.shape) and \(tensor.shape)")
            expected[resolved] = 0; actual[resolved] = 0
            precondition(expected == actual, "concatenate: shapes \(first.shape) and \(tensor.shape) differ off axis \(resolved)")
        }
        let extents = tensors.map { $0.shape[resolved] }
        let totalExtent = extents.reduce(0, +)
        var outputShape = first.shape
        outputShape[resolved] = totalExtent
        let (outer, _, inner) = splitAround(first.shape, axis: resolved)
        var output = [Float](repeating: 0, count: elementCount(of: outputShape))
        output.withUnsafeMutableBufferPointer { y in
            var start = 0
            for (tensor, extent) in zip(tensors, extents) {
                let block = extent * inner
                tensor.values.withUnsafeBufferPointer { x in
                    for o in 0..<outer where block > 0 {
                        (y.baseAddress! + o * totalExtent * inner + start * inner)
                            .update(from: x.baseAddress! + o * block, count: block)
                    }
                }
                start += extent
            }
        }
        let result = Tensor(shape: outputShape, values: output)
        guard tensors.contains(where: \.requiresGradient) && GradientMode.isEnabled else { return result }
        result.record(inputs: tensors) { output in
            output.gradient!.withUnsafeBufferPointer { g in
                var start = 0
                for (tensor, extent) in zip(tensors, extents) {
                    let block = extent * inner
                    if tensor.requiresGradient {
                        let slice = makeFloatArray(count: outer * block) { dx in
                            for o in 0..<outer where block > 0 {
                                (dx.baseAddress! + o * block)
                                    .initialize(from: g.baseAddress! + o * totalExtent * inner + start * inner, count: block)
                            }
                        }
                        tensor.accumulateGradient(slice)
                    }
                    start += extent
                }
            }
        }
        return result
    }

    /// Cuts the tensor along `axis` into consecutive pieces of the given extents (which must sum to the axis).
    public func split(sizes: [Int], axis: Int) -> [Tensor] {
        let resolved = Tensor.normalizedAxis(axis, rank: rank)
        precondition(sizes.reduce(0, +) == shape[resolved], "split: sizes \(sizes) do not sum to \(shape[resolved])")
        var start = 0
        return sizes.map { size in
            defer { start += size }
            return slice(axis: resolved, start: start, length: size)
        }
    }

    /// The sub-tensor with indices start..<start+length along `axis`. Backward scatters the gradient back.
    public func slice(axis: Int, start: Int, length: Int) -> Tensor {
        let input = self
        let resolved = Tensor.normalizedAxis(axis, rank: rank)
        let (outer, extent, inner) = Tensor.splitAround(shape, axis: resolved)
        precondition(start >= 0 && length >= 0 && start + length <= extent,
                     "slice: \(start)..<\(start + length) outside axis \(resolved) of \(shape)")
        var outputShape = shape
        outputShape[resolved] = length
        let block = length * inner
        let output = values.withUnsafeBufferPointer { x in
            makeFloatArray(count: outer * block) { y in
                for o in 0..<outer where block > 0 {
                    (y.baseAddress! + o * block).initialize(from: x.baseAddress! + (o * extent + start) * inner, count: block)
                }
            }
        }
        let result = Tensor(shape: outputShape, values: output)
        if Tensor.shouldRecord(input) {
            result.record(inputs: [input]) { output in
                var dx = [Float](repeating: 0, count: input.count)
                output.gradient!.withUnsafeBufferPointer { g in
                    dx.withUnsafeMutableBufferPointer { d in
                        for o in 0..<outer where block > 0 {
                            (d.baseAddress! + (o * extent + start) * inner).update(from: g.baseAddress! + o * block, count: block)
                        }
                    }
                }
                input.accumulateGradient(dx)
            }
        }
        return result
    }
}
