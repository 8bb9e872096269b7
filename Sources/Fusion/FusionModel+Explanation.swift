import Foundation
import Tensor

/// What one case's forward pass gives an explanation: logits [C], gate weights [G] and [CLS] attention to the KG
/// slots [K] (empty without KG tokens).
public struct FusionExplanation: Sendable {
    /// Class logits.
    public var logits: [Float]
    /// Gate weight per group (`FusionConfiguration.gateGroupNames`).
    public var gateWeights: [Float]
    /// Last-layer [CLS] attention to each KG slot, averaged over heads.
    public var knowledgeAttention: [Float]
}

extension FusionModel {
    /// How much the [CLS] token attends to each KG slot in the last encoder layer, averaged over heads.
    ///
    /// For each case and head h: a_h = softmax(q_h·K_hᵀ/√d_h + M) with q_h the [CLS] query and K_h the keys of
    /// the last layer (computed from its input, after LN₁ for pre-norm); the result is (1/H)·Σ_h a_h restricted to
    /// the K KG slots, [N][K], 0 for an empty slot. Empty when the model has no KG tokens or no layers.
    public func knowledgeAttention(_ cases: [FusionCase], batchSize: Int = 64) throws -> [[Float]] {
        try explain(cases, batchSize: batchSize).map(\.knowledgeAttention)
    }

    /// Logits, gate weights and KG attention of `cases` from one forward pass per batch, without gradients.
    public func explain(_ cases: [FusionCase], batchSize: Int = 64) throws -> [FusionExplanation] {
        let wasTraining = isTraining
        setTraining(false)
        defer { setTraining(wasTraining) }
        let (classes, groups) = (configuration.classCount, configuration.gateGroupCount)
        var result: [FusionExplanation] = []
        try GradientMode.withoutGradient {
            for start in stride(from: 0, to: cases.count, by: batchSize) {
                let batch = try FusionBatch(cases: Array(cases[start..<min(start + batchSize, cases.count)]),
                                            configuration: configuration)
                let output = forward(batch)
                let attention = knowledgeAttention(output, count: batch.count)
                for row in 0..<batch.count {
                    result.append(FusionExplanation(
                        logits: Array(output.logits.values[row * classes..<(row + 1) * classes]),
                        gateWeights: Array(output.gateWeights.values[row * groups..<(row + 1) * groups]),
                        knowledgeAttention: attention[row]))
                }
            }
        }
        return result
    }

    /// The KG attention of the `count` cases of one forward pass's output (see `knowledgeAttention(_:)`).
    func knowledgeAttention(_ output: FusionOutput, count: Int) -> [[Float]] {
        guard knowledge != nil, let layer = layers.last else { return Array(repeating: [], count: count) }
        let (width, heads) = (configuration.modelDimension, configuration.headCount)
        let headSize = width / heads
        let (length, slots, offset) = (configuration.sequenceLength, configuration.knowledgeTokenCount,
                                       configuration.knowledgeTokenOffset)
        let input = configuration.preNorm ? layer.attentionNorm(output.lastLayerInput) : output.lastLayerInput
        let queries = layer.attention.query(input.slice(axis: 1, start: 0, length: 1)).values
        let keys = layer.attention.key(input).values
        let mask = output.attentionMask.values
        var result: [[Float]] = []
        for c in 0..<count {
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
        return result
    }
}
