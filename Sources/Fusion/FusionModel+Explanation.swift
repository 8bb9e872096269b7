import Foundation
import Tensor

extension FusionModel {
    /// How much the [CLS] token attends to each KG slot in the last encoder layer, averaged over heads.
    ///
    /// For each case and head h: a_h = softmax(q_h·K_hᵀ/√d_h + M) with q_h the [CLS] query and K_h the keys of
    /// the last layer (computed from its input, after LN₁ for pre-norm); the result is (1/H)·Σ_h a_h restricted to
    /// the K KG slots, [N][K], 0 for an empty slot. Empty when the model has no KG tokens or no layers.
    public func knowledgeAttention(_ cases: [FusionCase], batchSize: Int = 64) throws -> [[Float]] {
        guard knowledge != nil, let layer = layers.last else { return cases.map { _ in [] } }
        let wasTraining = isTraining
        setTraining(false)
        defer { setTraining(wasTraining) }
        let (width, heads) = (configuration.modelDimension, configuration.headCount)
        let headSize = width / heads
        let (length, slots, offset) = (configuration.sequenceLength, configuration.knowledgeTokenCount,
                                       configuration.knowledgeTokenOffset)
        var result: [[Float]] = []
        try GradientMode.withoutGradient {
            for start in stride(from: 0, to: cases.count, by: batchSize) {
                let batch = try FusionBatch(cases: Array(cases[start..<min(start + batchSize, cases.count)]),
                                            configuration: configuration)
                let output = forward(batch)
                let input = configuration.preNorm ? layer.attentionNorm(output.lastLayerInput) : output.lastLayerInput
                let queries = layer.attention.query(input.slice(axis: 1, start: 0, length: 1)).values
                let keys = layer.attention.key(input).values
                let mask = output.attentionMask.values
                for c in 0..<batch.count {
                    var averaged = [Float](repeating: 0, count: slots)
                    for h in 0..<heads {
                        var scores = [Float](repeating: 0, count: length)
                        for t in 0..<length {
                            var dot: Float = 0
                            for j in 0..<headSize {
                                dot += queries[c * width + h * headSize + j] * keys[(c * length + t) * width + h * headSize + j]
                            }
                            scores[t] = dot / Float(headSize).squareRoot() + mask[c * length + t]
                        }
                        let maximum = scores.max() ?? 0
                        let exponentials = scores.map { Foundation.exp($0 - maximum) }
                        let sum = exponentials.reduce(0, +)
                        for k in 0..<slots { averaged[k] += exponentials[offset + k] / sum / Float(heads) }
                    }
                    result.append(averaged)
                }
            }
        }
        return result
    }
}
