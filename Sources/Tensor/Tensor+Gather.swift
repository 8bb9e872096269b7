/// Row gather, the embedding lookup.
extension Tensor {
    /// Looks up rows of a [vocabulary, d] table: y[i…, :] = table[indices[i…], :].
    ///
    /// Shapes: self [V, d], `indices` of `indexShape` (row-major, each in 0..<V) → indexShape + [d].
    /// Backward scatters: dtable[indices[i], :] += dy[i, :].
    public func gatherRows(_ indices: [Int], indexShape: [Int]? = nil) -> Tensor {
        let table = self
        precondition(rank == 2, "gatherRows: table shape \(shape), need [rows, width]")
        let (rowCount, width) = (shape[0], shape[1])
        let outputIndexShape = indexShape ?? [indices.count]
        precondition(Tensor.elementCount(of: outputIndexShape) == indices.count,
                     "gatherRows: \(indices.count) indices for index shape \(outputIndexShape)")
        if let bad = indices.first(where: { $0 < 0 || $0 >= rowCount }) {
            preconditionFailure("gatherRows: index \(bad) outside 0..<\(rowCount)")
        }
        let output = values.withUnsafeBufferPointer { t in
            makeFloatArray(count: indices.count * width) { y in
                for (position, index) in indices.enumerated() where width > 0 {
                    (y.baseAddress! + position * width).initialize(from: t.baseAddress! + index * width, count: width)
                }
            }
        }
        let result = Tensor(shape: outputIndexShape + [width], values: output)
        if Tensor.shouldRecord(table) {
            result.record(inputs: [table]) { output in
                var dt = [Float](repeating: 0, count: rowCount * width)
                output.gradient!.withUnsafeBufferPointer { g in
                    dt.withUnsafeMutableBufferPointer { d in
                        for (position, index) in indices.enumerated() where width > 0 {
                            BLAS.axpy(count: width, alpha: 1, x: g.baseAddress! + position * width,
                                      y: d.baseAddress! + index * width)
                        }
                    }
                }
                table.accumulateGradient(dt)
            }
        }
        return result
    }
}
