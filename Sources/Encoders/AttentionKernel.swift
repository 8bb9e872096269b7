/// Scaled dot-product attention of one head of one sequence, on feature-major blocks.
///
/// q, k, v are [d, L] blocks inside [F, T] buffers (row stride T): element (feature f, token i) at f·T + i.
enum AttentionKernel {
    typealias Lanes = VectorKernels.Lanes

    /// S[i, j] = scale · Σ_f q[f, i] · k[f, j]: [L, L] row-major, S = scale · qᵀ k.
    static func scores(
        query: UnsafePointer<Float>, key: UnsafePointer<Float>, stride: Int, headSize: Int, length: Int,
        scale: Float, into scores: UnsafeMutablePointer<Float>
    ) {
        let fullChunks = length / 8 * 8
        for i in 0..<length {
            let row = scores + i * length
            var j = 0
            while j < fullChunks {
                var accumulator = Lanes()
                for feature in 0..<headSize {
                    accumulator += query[feature * stride + i] * VectorKernels.load(key + feature * stride + j)
                }
                VectorKernels.store(accumulator * scale, row + j)
                j += 8
            }
            while j < length {
                var sum: Float = 0
                for feature in 0..<headSize { sum += query[feature * stride + i] * key[feature * stride + j] }
                row[j] = sum * scale
                j += 1
            }
        }
    }

    /// Adds −3.4e38 (PyTorch's finfo(float32).min) to the scores of keys whose mask is 0, so that softmax gives
    /// them weight 0 (and a row with every key masked is uniform, as in PyTorch).
    static func applyKeyMask(_ mask: [Int32], scores: UnsafeMutablePointer<Float>, length: Int) {
        for (key, allowed) in mask.enumerated() where allowed == 0 {
            for query in 0..<length { scores[query * length + key] += -Float.greatestFiniteMagnitude }
        }
    }

    /// C[f, i] = Σ_j v[f, j] · P[i, j]: the context [d, L] (row stride `stride`) from probabilities P [L, L].
    static func context(
        value: UnsafePointer<Float>, stride: Int, headSize: Int, length: Int,
        probabilities: UnsafePointer<Float>, into context: UnsafeMutablePointer<Float>
    ) {
        let fullChunks = length / 8 * 8
        for feature in 0..<headSize {
            let valueRow = value + feature * stride
            let target = context + feature * stride
            for i in 0..<length {
                let probabilityRow = probabilities + i * length
                var accumulator = Lanes()
                var j = 0
                while j < fullChunks {
                    accumulator += VectorKernels.load(valueRow + j) * VectorKernels.load(probabilityRow + j)
                    j += 8
                }
                var sum = accumulator.sum()
                while j < length {
                    sum += valueRow[j] * probabilityRow[j]
                    j += 1
                }
                target[i] = sum
            }
        }
    }
}
