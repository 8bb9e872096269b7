/// Scratch buffers of one BERT forward pass, sized for T packed tokens and sequences up to L tokens long;
/// reused across layers and calls, so a forward pass allocates nothing per layer.
final class BertWorkspace {
    let tokenCapacity: Int
    let sequenceCapacity: Int
    /// x, [T, H]
    let hidden: FloatStorage
    /// [q k v], [T, 3H]
    let queryKeyValue: FloatStorage
    /// Attention context, [T, H]
    let context: FloatStorage
    /// Output of a projection before residual and LayerNorm, [T, H]
    let projection: FloatStorage
    /// Feed-forward activations, [T, I]
    let intermediate: FloatStorage
    /// Attention scores, one [L, L] block per head: [heads, L, L]
    let scores: FloatStorage

    init(configuration: BertConfiguration, tokenCount: Int, longestSequence: Int) {
        tokenCapacity = tokenCount
        sequenceCapacity = longestSequence
        let hiddenSize = configuration.hiddenSize
        hidden = FloatStorage(count: tokenCount * hiddenSize)
        queryKeyValue = FloatStorage(count: tokenCount * 3 * hiddenSize)
        context = FloatStorage(count: tokenCount * hiddenSize)
        projection = FloatStorage(count: tokenCount * hiddenSize)
        intermediate = FloatStorage(count: tokenCount * configuration.intermediateSize)
        scores = FloatStorage(count: configuration.headCount * longestSequence * longestSequence)
    }

    func fits(tokenCount: Int, longestSequence: Int) -> Bool {
        tokenCount <= tokenCapacity && longestSequence <= sequenceCapacity
    }
}
