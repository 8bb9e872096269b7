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
        let pool = WorkerPool.shared
        // Recording keeps every pair's probabilities for the backward pass; otherwise one block per thread.
        var probabilities = [Float](repeating: 0, count: (recording ? batch * headCount : pool.size) * blockSize)
        var output = [Float](repeating: 0, count: batch * queryLength * width)
        guard batch > 0, queryLength > 0, keyLength > 0, width > 0 else {
            return Tensor(shape: query.shape, values: output)
        }
        query.values.withUnsafeBufferPointer { q in
            key.values.withUnsafeBufferPointer { k in
                value.values.withUnsafeBufferPointer { v in
                    probabilities.withUnsafeMutableBufferPointer { p in
                        output.withUnsafeMutableBufferPointer { o in
                            withOptionalValues(additiveMask) { mask in
                                let (q, k, v, p, o) = (q.baseAddress!, k.baseAddress!, v.baseAddress!, p.baseAddress!, o.baseAddress!)
                                // The (sequence, head) pairs write disjoint column blocks of O.
                                pool.forEach(batch * headCount) { pair, participant in
                                    let (b, h) = (pair / headCount, pair % headCount)
                                    let block = p + (recording ? pair : participant) * blockSize
                                    let column = h * headSize
                                    BLAS.gemm(transposeA: false, transposeB: true, m: queryLength, n: keyLength, k: headSize,
                                              alpha: scale, a: q + b * queryLength * width + column, lda: width,
                                              b: k + b * keyLength * width + column, ldb: width,
                                              c: block, ldc: keyLength)
                                    let maskRow = mask.map { $0 + b * keyLength }
                                    for i in 0..<queryLength {
                                        let row = block + i * keyLength
                                        softmaxRow(row, row, mask: maskRow, length: keyLength)
                                    }
                                    BLAS.gemm(transposeA: false, transposeB: false, m: queryLength, n: headSize, k: keyLength,
                                              a: block, lda: keyLength,
                                              b: v + b * keyLength * width + column, ldb: width,
                                              c: o + b * queryLength * width + column, ldc: width)
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
            var dScores = [Float](repeating: 0, count: pool.size * blockSize)
            output.gradient!.withUnsafeBufferPointer { dO in
                query.values.withUnsafeBufferPointer { q in
                    key.values.withUnsafeBufferPointer { k in
                        value.values.withUnsafeBufferPointer { v in
                            probabilities.withUnsafeBufferPointer { p in
                                dQuery.withUnsafeMutableBufferPointer { dq in
                                    dKey.withUnsafeMutableBufferPointer { dk in
                                        dValue.withUnsafeMutableBufferPointer { dv in
                                            dScores.withUnsafeMutableBufferPointer { ds in
                                                let (dO, q, k, v, p) = (dO.baseAddress!, q.baseAddress!, k.baseAddress!,
                                                                        v.baseAddress!, p.baseAddress!)
                                                let (dq, dk, dv, ds) = (dq.baseAddress!, dk.baseAddress!, dv.baseAddress!,
                                                                        ds.baseAddress!)
                                                // The (sequence, head) pairs write disjoint column blocks of dQ, dK, dV.
                                                pool.forEach(batch * headCount) { pair, participant in
                                                    let (b, h) = (pair / headCount, pair % headCount)
                                                    let block = p + pair * blockSize
                                                    let scores = ds + participant * blockSize
                                                    let column = h * headSize
                                                    let queryOffset = b * queryLength * width + column
                                                    let keyOffset = b * keyLength * width + column
                                                    // dV_h = Pᵀ·dO_h
                                                    BLAS.gemm(transposeA: true, transposeB: false, m: keyLength, n: headSize,
                                                              k: queryLength, a: block, lda: keyLength,
                                                              b: dO + queryOffset, ldb: width,
                                                              c: dv + keyOffset, ldc: width)
                                                    // dP = dO_h·V_hᵀ
                                                    BLAS.gemm(transposeA: false, transposeB: true, m: queryLength, n: keyLength,
                                                              k: headSize, a: dO + queryOffset, lda: width,
                                                              b: v + keyOffset, ldb: width,
                                                              c: scores, ldc: keyLength)
                                                    // dS = P ⊙ (dP − rowsum(dP ⊙ P))
                                                    for i in 0..<queryLength {
                                                        let row = i * keyLength
                                                        var inner: Float = 0
                                                        for j in 0..<keyLength { inner += scores[row + j] * block[row + j] }
                                                        for j in 0..<keyLength { scores[row + j] = block[row + j] * (scores[row + j] - inner) }
                                                    }
                                                    // dQ_h = c·dS·K_h, dK_h = c·dSᵀ·Q_h
                                                    BLAS.gemm(transposeA: false, transposeB: false, m: queryLength, n: headSize,
                                                              k: keyLength, alpha: scale, a: scores, lda: keyLength,
                                                              b: k + keyOffset, ldb: width,
                                                              c: dq + queryOffset, ldc: width)
                                                    BLAS.gemm(transposeA: true, transposeB: false, m: keyLength, n: headSize,
                                                              k: queryLength, alpha: scale, a: scores, lda: keyLength,
                                                              b: q + queryOffset, ldb: width,
                                                              c: dk + keyOffset, ldc: width)
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

    /// Multi-head self-attention for inference on a fused [Q | K | V] buffer: O_h = softmax(Q_h·K_hᵀ/√d_h + M)·V_h
    /// for every sequence b and head h, without recording.
    ///
    /// Shapes: `queryKeyValue` [sequences·length, 3D] (row t holds Q, then K, then V of token t; D = headCount·d_h,
    /// head h the columns h·d_h..<(h+1)·d_h of each), `additiveMask` [sequences, length] or nil, output
    /// [sequences·length, D]. The (sequence, head) pairs are shared among the pool's threads, each with one
    /// [length, length] score block.
    static func attentionInference(
        queryKeyValue: UnsafePointer<Float>, sequences: Int, length: Int, width: Int, headCount: Int,
        additiveMask: UnsafePointer<Float>?, into output: UnsafeMutablePointer<Float>
    ) {
        guard sequences > 0, length > 0 else { return }
        let headSize = width / headCount
        let scale = 1 / Float(headSize).squareRoot()
        let stride = 3 * width
        let blockSize = length * length
        let pool = WorkerPool.shared
        let scores = UnsafeMutablePointer<Float>.allocate(capacity: pool.size * blockSize)
        defer { scores.deallocate() }
        // The products accumulate (beta 1) onto starting values written here, which spares OpenBLAS's separate
        // zeroing pass: the scores start as the mask row (M + c·Q_h·K_hᵀ, the same sum as adding M afterwards),
        // the output as zeros.
        output.initialize(repeating: 0, count: sequences * length * width)
        // Shared among threads, each (sequence, head) pair's queries are cut in two, so that the threads finish
        // within about half a pair of each other (each half packs K_h and V_h again, a small cost beside that).
        let parts = pool.size > 1 && length >= 32 ? 2 : 1
        let perPart = (length + parts - 1) / parts
        pool.forEach(sequences * headCount * parts) { item, participant in
            let (pair, part) = (item / parts, item % parts)
            let (b, h) = (pair / headCount, pair % headCount)
            let first = part * perPart
            let rows = Swift.min(perPart, length - first)
            guard rows > 0 else { return }
            let block = scores + participant * blockSize
            let head = queryKeyValue + b * length * stride + h * headSize
            for i in 0..<rows {
                if let mask = additiveMask {
                    (block + i * length).update(from: mask + b * length, count: length)
                } else {
                    (block + i * length).update(repeating: 0, count: length)
                }
            }
            BLAS.gemm(transposeA: false, transposeB: true, m: rows, n: length, k: headSize,
                      alpha: scale, a: head + first * stride, lda: stride, b: head + width, ldb: stride, beta: 1,
                      c: block, ldc: length)
            for i in 0..<rows {
                let row = block + i * length
                softmaxRow(row, row, mask: nil, length: length)
            }
            BLAS.gemm(transposeA: false, transposeB: false, m: rows, n: headSize, k: length,
                      a: block, lda: length, b: head + 2 * width, ldb: stride,
                      beta: 1, c: output + (b * length + first) * width + h * headSize, ldc: width)
        }
    }

    /// Calls `body` with the values of `tensor`, or with nil when there is none.
    static func withOptionalValues<Result>(
        _ tensor: Tensor?, _ body: (UnsafePointer<Float>?) -> Result
    ) -> Result {
        guard let tensor else { return body(nil) }
        return tensor.values.withUnsafeBufferPointer { body($0.baseAddress!) }
    }
}
