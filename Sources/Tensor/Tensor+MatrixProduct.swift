/// Matrix products through `BLAS.gemm`: 2-D, batched 3-D and more, and the fused linear map.
extension Tensor {
    /// C = op(A)·op(B), op = transpose of the last two axes when the flag is set.
    ///
    /// Shapes (op applied): [m, k]·[k, n] → [m, n]; [b…, m, k]·[b…, k, n] → [b…, m, n] (same batch axes);
    /// [b…, m, k]·[k, n] → [b…, m, n] (one matrix for every batch; folded into one gemm when A is not
    /// transposed); [m, k]·[b…, k, n] → [b…, m, n].
    /// Backward: dop(A) = dC·op(B)ᵀ, dop(B) = op(A)ᵀ·dC, summed over the batch for a shared operand.
    public func matmul(_ other: Tensor, transposeSelf: Bool = false, transposeOther: Bool = false) -> Tensor {
        let a = self, b = other
        let tA = transposeSelf, tB = transposeOther
        precondition(a.rank >= 2 && b.rank >= 2, "matmul: ranks \(a.rank) and \(b.rank), need ≥ 2")
        let aRows = a.shape[a.rank - 2], aColumns = a.shape[a.rank - 1]
        let bRows = b.shape[b.rank - 2], bColumns = b.shape[b.rank - 1]
        var m = tA ? aColumns : aRows
        let k = tA ? aRows : aColumns
        let n = tB ? bRows : bColumns
        let bK = tB ? bColumns : bRows
        precondition(k == bK, "matmul: inner extents differ, \(a.shape)\(tA ? "ᵀ" : "") · \(b.shape)\(tB ? "ᵀ" : "")")
        let lda = aColumns, ldb = bColumns
        let aBatch = Array(a.shape.dropLast(2)), bBatch = Array(b.shape.dropLast(2))
        var batchCount: Int
        var strideA = aRows * aColumns, strideB = bRows * bColumns
        var outputShape: [Int]
        if b.rank == 2 && !tA {
            // Fold every leading axis of A into the rows: one gemm.
            m = a.count / Swift.max(k, 1)
            batchCount = 1
            outputShape = aBatch + [aRows, n]
        } else if b.rank == 2 {
            batchCount = Tensor.elementCount(of: aBatch); strideB = 0
            outputShape = aBatch + [m, n]
        } else if a.rank == 2 {
            batchCount = Tensor.elementCount(of: bBatch); strideA = 0
            outputShape = bBatch + [m, n]
        } else {
            precondition(aBatch == bBatch, "matmul: batch axes differ, \(a.shape) · \(b.shape)")
            batchCount = Tensor.elementCount(of: aBatch)
            outputShape = aBatch + [m, n]
        }
        let strideC = m * n
        let product = makeFloatArray(count: batchCount * strideC) { cv in
            guard m > 0, n > 0 else { return }
            guard k > 0 else {
                cv.initialize(repeating: 0)
                return
            }
            a.values.withUnsafeBufferPointer { av in
                b.values.withUnsafeBufferPointer { bv in
                    BLAS.gemmBatched(transposeA: tA, transposeB: tB, m: m, n: n, k: k, batchCount: batchCount,
                                     a: av.baseAddress!, lda: lda, strideA: strideA,
                                     b: bv.baseAddress!, ldb: ldb, strideB: strideB,
                                     c: cv.baseAddress!, ldc: n, strideC: strideC)
                }
            }
        }
        let result = Tensor(shape: outputShape, values: product)
        guard Tensor.shouldRecord(a, b) else { return result }
        result.record(inputs: [a, b]) { output in
            let g = output.gradient!
            g.withUnsafeBufferPointer { dc in
                a.values.withUnsafeBufferPointer { av in
                    b.values.withUnsafeBufferPointer { bv in
                        guard m > 0, n > 0, k > 0 else { return }
                        if a.requiresGradient {
                            var da = [Float](repeating: 0, count: a.count)
                            da.withUnsafeMutableBufferPointer { dav in
                                if !tA {
                                    BLAS.gemmBatched(transposeA: false, transposeB: !tB, m: m, n: k, k: n,
                                                     batchCount: batchCount,
                                                     a: dc.baseAddress!, lda: n, strideA: strideC,
                                                     b: bv.baseAddress!, ldb: ldb, strideB: strideB,
                                                     beta: 1, c: dav.baseAddress!, ldc: k,
                                                     strideC: strideA)
                                } else {
                                    BLAS.gemmBatched(transposeA: tB, transposeB: true, m: k, n: m, k: n,
                                                     batchCount: batchCount,
                                                     a: bv.baseAddress!, lda: ldb, strideA: strideB,
                                                     b: dc.baseAddress!, ldb: n, strideB: strideC,
                                                     beta: 1, c: dav.baseAddress!, ldc: m, strideC: strideA)
                                }
                            }
                            a.accumulateGradient(da)
                        }
                        if b.requiresGradient {
                            var db = [Float](repeating: 0, count: b.count)
                            db.withUnsafeMutableBufferPointer { dbv in
                                if !tB {
                                    BLAS.gemmBatched(transposeA: !tA, transposeB: false, m: k, n: n, k: m,
                                                     batchCount: batchCount,
                                                     a: av.baseAddress!, lda: lda, strideA: strideA,
                                                     b: dc.baseAddress!, ldb: n, strideB: strideC,
                                                     beta: 1, c: dbv.baseAddress!, ldc: n, strideC: strideB)
                                } else {
                                    BLAS.gemmBatched(transposeA: true, transposeB: tA, m: n, n: k, k: m,
                                                     batchCount: batchCount,
                                                     a: dc.baseAddress!, lda: n, strideA: strideC,
                                                     b: av.baseAddress!, ldb: lda, strideB: strideA,
                                                     beta: 1, c: dbv.baseAddress!, ldc: k, strideC: strideB)
                                }
                            }
                            b.accumulateGradient(db)
                        }
                    }
                }
            }
        }
        return result
    }

    /// The affine map of PyTorch's `nn.Linear`: y = x·Wᵀ + b.
    ///
    /// Shapes: x […, in], weight [out, in], bias [out] (optional) → y […, out]. One gemm over all rows.
    /// Backward: dx = dy·W, dW = dyᵀ·x, db = Σ_rows dy.
    public func linear(weight: Tensor, bias: Tensor?) -> Tensor {
        let x = self
        precondition(weight.rank == 2, "linear: weight shape \(weight.shape), need [out, in]")
        let outputSize = weight.shape[0], inputSize = weight.shape[1]
        precondition(x.rank >= 1 && x.shape[x.rank - 1] == inputSize,
                     "linear: input shape \(x.shape) does not end in \(inputSize)")
        if let bias { precondition(bias.shape == [outputSize], "linear: bias shape \(bias.shape), need [\(outputSize)]") }
        let rows = x.count / Swift.max(inputSize, 1)
        let outputValues = makeFloatArray(count: rows * outputSize) { y in
            if let bias {
                bias.values.withUnsafeBufferPointer { b in
                    for row in 0..<rows {
                        (y.baseAddress! + row * outputSize).update(from: b.baseAddress!, count: outputSize)
                    }
                }
            }
            guard rows > 0, outputSize > 0 else { return }
            if inputSize == 0 {
                if bias == nil { y.initialize(repeating: 0) }
                return
            }
            x.values.withUnsafeBufferPointer { xv in
                weight.values.withUnsafeBufferPointer { wv in
                    BLAS.gemm(transposeA: false, transposeB: true, m: rows, n: outputSize, k: inputSize,
                              a: xv.baseAddress!, lda: inputSize, b: wv.baseAddress!, ldb: inputSize,
                              beta: bias == nil ? 0 : 1, c: y.baseAddress!, ldc: outputSize)
                }
            }
        }
        let result = Tensor(shape: Array(x.shape.dropLast()) + [outputSize], values: outputValues)
        let needsBias = bias?.requiresGradient ?? false
        guard (x.requiresGradient || weight.requiresGradient || needsBias) && GradientMode.isEnabled else {
            return result
        }
        var inputs = [x, weight]
        if let bias { inputs.append(bias) }
        result.record(inputs: inputs) { output in
            guard rows > 0, outputSize > 0, inputSize > 0 else { return }
            output.gradient!.withUnsafeBufferPointer { dy in
                if x.requiresGradient {
                    let dx = weight.values.withUnsafeBufferPointer { wv in
                        makeFloatArray(count: rows * inputSize) { dxv in
                            BLAS.gemm(transposeA: false, transposeB: false, m: rows, n: inputSize, k: outputSize,
                                      a: dy.baseAddress!, lda: outputSize, b: wv.baseAddress!, ldb: inputSize,
                                      c: dxv.baseAddress!, ldc: inputSize)
                        }
                    }
                    x.accumulateGradient(dx)
                }
                if weight.requiresGradient {
                    let dw = x.values.withUnsafeBufferPointer { xv in
                        makeFloatArray(count: outputSize * inputSize) { dwv in
                            BLAS.gemm(transposeA: true, transposeB: false, m: outputSize, n: inputSize, k: rows,
                                      a: dy.baseAddress!, lda: outputSize, b: xv.baseAddress!, ldb: inputSize,
                                      c: dwv.baseAddress!, ldc: inputSize)
                        }
                    }
                    weight.accumulateGradient(dw)
                }
                if let bias, bias.requiresGradient {
                    var db = [Float](repeating: 0, count: outputSize)
                    db.withUnsafeMutableBufferPointer { dbv in
                        for row in 0..<rows {
                            BLAS.axpy(count: outputSize, alpha: 1, x: dy.baseAddress! + row * outputSize,
                                      y: dbv.baseAddress!)
                        }
                    }
                    bias.accumulateGradient(db)
                }
            }
        }
        return result
    }

    /// y = x·Wᵀ + b with W packed for token-major products, without recording a gradient (inference only).
    ///
    /// Shapes: x […, in], W [out, in], bias [out] (optional) → y […, out]; y starts as b on every row.
    public func linear(packed weight: PackedWeight, bias: Tensor?, workers: Int = BLAS.threadCount) -> Tensor {
        let x = self
        let outputSize = weight.outputs, inputSize = weight.inputs
        precondition(x.rank >= 1 && x.shape[x.rank - 1] == inputSize,
                     "linear: input shape \(x.shape) does not end in \(inputSize)")
        if let bias { precondition(bias.shape == [outputSize], "linear: bias shape \(bias.shape), need [\(outputSize)]") }
        let rows = x.count / inputSize
        let outputValues = makeFloatArray(count: rows * outputSize) { y in
            guard rows > 0 else { return }
            x.values.withUnsafeBufferPointer { xv in
                if let bias {
                    // The bias rows are written block by block on the threads that compute those blocks.
                    bias.values.withUnsafeBufferPointer { b in
                        weight.accumulateTokenMajor(input: xv.baseAddress!, inputStride: inputSize, count: rows,
                                                    into: y.baseAddress!, outputStride: outputSize, bias: b.baseAddress!,
                                                    workers: workers)
                    }
                } else {
                    y.initialize(repeating: 0)
                    weight.accumulateTokenMajor(input: xv.baseAddress!, inputStride: inputSize, count: rows,
                                                into: y.baseAddress!, outputStride: outputSize, workers: workers)
                }
            }
        }
        return Tensor(shape: Array(x.shape.dropLast()) + [outputSize], values: outputValues)
    }
}
