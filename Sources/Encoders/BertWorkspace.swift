/// Scratch buffers of one BERT forward pass, sized for T packed tokens, sequences up to L tokens and `workers`
/// attention workers; reused across layers and calls, so a forward pass allocates nothing per layer.
///
/// Activations are feature-major: a [F, T] buffer holds feature f of token t at f·T + t.
final class BertWorkspace {
    let tokenCapacity: Int
    let sequenceCapacity: Int
    let workerCapacity: Int
    /// xᵀ, [H, T]
    let hidden: FloatStorage
    /// [q k v]ᵀ, [3H, T]
    let queryKeyValue: FloatStorage
    /// Attention contextᵀ, [H, T]
    let context: FloatStorage
    /// A projection with bias and residual, before LayerNorm, [H, T]
    let projection: FloatStorage
    /// Feed-forward activationsᵀ, [I, T]
    let intermediate: FloatStorage
    /// Token-major [T, H]: embeddings on the way in, the last hidden state on the way out
    let tokenMajor: FloatStorage
    /// LayerNorm mean and 1/σ per token, [T] each
    let mean: FloatStorage
    let inverseDeviation: FloatStorage
    /// Attention scores, one [L, L] block per worker
    let scores: FloatStorage

    init(configuration: BertConfiguration, tokenCount: Int, longestSequence: Int, workers: Int) {
        tokenCapacity = tokenCount
        sequenceCapacity = longestSequence
        workerCapacity = workers
        let hiddenSize = configuration.hiddenSize
        hidden = FloatStorage(count: tokenCount * hiddenSize)
        queryKeyValue = FloatStorage(count: tokenCount * 3 * hiddenSize)
        context = FloatStorage(count: tokenCount * hiddenSize)
        projection = FloatStorage(count: tokenCount * hiddenSize)
        intermediate = FloatStorage(count: tokenCount * configuration.intermediateSize)
        tokenMajor = FloatStorage(count: tokenCount * hiddenSize)
        mean = FloatStorage(count: tokenCount)
        inverseDeviation = FloatStorage(count: tokenCount)
        scores = FloatStorage(count: workers * longestSequence * longestSequence)
    }

    func fits(tokenCount: Int, longestSequence: Int, workers: Int) -> Bool {
        tokenCount <= tokenCapacity && longestSequence <= sequenceCapacity && workers <= workerCapacity
    }
}
