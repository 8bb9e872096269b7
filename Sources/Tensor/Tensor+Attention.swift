/// Fused multi-head scaled dot-product attention on the [batch, sequence, heads·headSize] layout.
extension Tensor {
    /// O_h = softmax(Q_h·K_hᵀ/√d_h + M)·V_h for every sequence b and head h, heads read in place.
    ///
    /// Shapes: query [b, s, D], key and value [b, t, D] with D = headCount·d_h; head h is the column block
    /// h·d_h..<(h+1)·d_h, addressed through the BLAS leading dimension, so no permute copy is made.
    /// `additiveMask` [b, t] (see `additiveKeyPaddingMask`) is added to every score row of sequence b.
    /// Result [b, s, D]. Backward, with P the probabilities and c = 1/√d_h:
    /// dV_h = Pᵀ·dO_h, dP = dO_h·V_hᵀ, dS = P ⊙ (dP − rowsum(dP ⊙ P)), dQ_h = c·dS·K_h, dK_h = c·dSᵀ·Q_h.
    /// The mask gets no gradient. Without recording only one [s, t] score buffer is allocated.
    public static func scaledDotProductAttention(query: Tensor, key: Tensor, value: Tensor, headCount: Int,
                                                 additiveMask: Tensor? = nil) -> Tensor {
        precondition(query.rank == 3 && key.rank == 3 && value.rank == 3,
                     "attention: query \(query.shape), key \(key.shape), value \(value.shape) must be [b, s, D]")
        let (batch, queryLength, width) = (query.shape[0], query.shape[1], query.shape[2])
        let keyLength = key.shape[1]
        precondition(key.shape == [batch, keyLength, width] && value.shape == key.shape,
                     "attention: key \(key.shape) and value \(value.shape) must be [\(batch), t, \(width)]")
        precondition(headCount > 0 && width % headCount == 0, "attention: width \(width) not divisible by \(headCount) heads")
        if let additiveMask {
            precondition(additiveMask.shape == [batch, keyLength], "attention: mask \(additiveMask.shape), need [\(batch), \(keyLength)]")
        }
        let headSize = width / headCount
        let scale = 1 / Float(headSize).squareRoot()
        let recording = shouldRecord(query, key, value)
        let blockSize = queryLength * keyLength
        var probabilities = [Float](repeating: 0, count: recording ? batch * headCount * blockSize : blockSize)
        var output = [Float](repeating: 0, count: batch * queryLength * width)
        guard batch > 0, queryLength > 0, keyLength > 0, width > 0 else {
            return Tensor(shape: query.shape, values: output)
        }
        query.values.withUnsafeBufferPointer { q in
            key.values.withUnsafeBufferPointer { k in
                value.values.withUnsafeBufferPointer { v in
                    probabilities.withUnsafeMutableBufferPointer { p in
                        output.withUnsafeMutableBufferPointer { o in
                            for b in 0..<batch {
                                for h in 0..<headCount {
                                    let block = p.baseAddress! + (recording ? (b * headCount + h) * blockSize : 0)
                                    let column = h * headSize
                                    BLAS.gemm(transposeA: false, transposeB: true, m: queryLength, n: keyLength, k: headSize,
                                              alpha: scale, a: q.baseAddress! + b * queryLength * width + column, lda: width,
                                              b: k.baseAddress! + b * keyLength * width + column, ldb: width,
                                              c: block, ldc: keyLength)
                                    if let additiveMask {
                                        additiveMask.values.withUnsafeBufferPointer { mask in
                                            let maskRow = mask.baseAddress! + b * keyLength
                                            for i in 0..<queryLength {
                                                let row = block + i * keyLength
                                                for j in 0..<keyLength { row[j] += maskRow[j] }
                                            }
                                        }
                                    }
                                    for i in 0..<queryLength {
                                        let row = block + i * keyLength
                                        softmaxRow(row, row, length: keyLength)
                                    }
                                    BLAS.gemm(transposeA: false, transposeB: false, m: queryLength, n: headSize, k: keyLength,
                                              a: block, lda: keyLength,
                                              b: v.baseAddress! + b * keyLength * width + column, ldb: width,
                                              c: o.baseAddress! + b * queryLength * width + column, ldc: width)
                                }
                            }
                        }
                    }
                }
            }
        }
        let result = Tensor(shape: query.shape, values: output)
        guard recording else { return result }
        result.record(inputs: [query, key, value]) { output in
            var dQuery = [Float](repeating: 0, count: query.count)
            var dKey = [Float](repeating: 0, count: key.count)
            var dValue = [Float](repeating: 0, count: value.count)
            var dScores = [Float](repeating: 0, count: blockSize)
            output.gradient!.withUnsafeBufferPointer { dO in
                query.values.withUnsafeBufferPointer { q in
                    key.values.withUnsafeBufferPointer { k in
                        value.values.withUnsafeBufferPointer { v in
                            probabilities.withUnsafeBufferPointer { p in
                                dQuery.withUnsafeMutableBufferPointer { dq in
                                    dKey.withUnsafeMutableBufferPointer { dk in
                                        dValue.withUnsafeMutableBufferPointer { dv in
                                            dScores.withUnsafeMutableBufferPointer { ds in
                                                for b in 0..<batch {
                                                    for h in 0..<headCount {
                                                        let block = p.baseAddress! + (b * headCount + h) * blockSize
                                                        let column = h * headSize
                                                        let queryOffset = b * queryLength * width + column
                                                        let keyOffset = b * keyLength * width + column
                                                        // dV_h = Pᵀ·dO_h
                                                        BLAS.gemm(transposeA: true, transposeB: false, m: keyLength, n: headSize,
                                                                  k: queryLength, a: block, lda: keyLength,
                                                                  b: dO.baseAddress! + queryOffset, ldb: width,
                                                                  c: dv.baseAddress! + keyOffset, ldc: width)
                                                        // dP = dO_h·V_hᵀ
                                                        BLAS.gemm(transposeA: false, transposeB: true, m: queryLength, n: keyLength,
                                                                  k: headSize, a: dO.baseAddress! + queryOffset, lda: width,
                                                                  b: v.baseAddress! + keyOffset, ldb: width,
                                                                  c: ds.baseAddress!, ldc: keyLength)
                                                        // dS = P ⊙ (dP − rowsum(dP ⊙ P))
                                                        for i in 0..<queryLength {
                                                            let row = i * keyLength
                                                            var inner: Float = 0
                                                            for j in 0..<keyLength { inner += ds[row + j] * block[row + j] }
                                                            for j in 0..<keyLength { ds[row + j] = block[row + j] * (ds[row + j] - inner) }
                                                        }
                                                        // dQ_h = c·dS·K_h, dK_h = c·dSᵀ·Q_h
                                                        BLAS.gemm(transposeA: false, transposeB: false, m: queryLength, n: headSize,
                                                                  k: keyLength, alpha: scale, a: ds.baseAddress!, lda: keyLength,
                                                                  b: k.baseAddress! + keyOffset, ldb: width,
                                                                  c: dq.baseAddress! + queryOffset, ldc: width)
                                                        BLAS.gemm(transposeA: true, transposeB: false, m: keyLength, n: headSize,
                                                                  k: queryLength, alpha: scale, a: ds.baseAddress!, lda: keyLength,
                                                                  b: q.baseAddress! + queryOffset, ldb: width,
                                                                  c: dk.baseAddress! + keyOffset, ldc: width)
                                                    }
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            query.accumulateGradient(dQuery)
            key.accumulateGradient(dKey)
            value.accumulateGradient(dValue)
        }
        return result
    }
}
