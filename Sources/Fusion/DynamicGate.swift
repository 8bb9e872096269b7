public import Tensor

/// Softmax weights over the gated groups (modalities and KG tokens), computed from their pooled features.
///
/// a = W₂·tanh(W₁·[c; p₁; …; p_G] + b₁) + b₂ with c the [CLS] output and p_g the pooled group features;
/// w = softmax(a + M) with M_g = 0 for a present group and −1e9 for a missing one, so a missing group gets
/// weight exactly 0 and the present ones sum to 1. Shapes: c [b, D], p_g [b, D], presence [b][G] → w [b, G].
public final class DynamicGate: Layer {
    /// W₁ [h, (G+1)·D] (`hidden`).
    public let hidden: Linear
    /// W₂ [G, h] (`output`).
    public let output: Linear
    /// The number of groups G.
    public let groupCount: Int
    /// Unused; kept for the `Layer` protocol.
    public var isTraining = true

    /// Creates a gate over `groupCount` groups of width `modelDimension` with `hiddenDimension` hidden units.
    public init(groupCount: Int, modelDimension: Int, hiddenDimension: Int, generator: inout SeededGenerator) {
        self.groupCount = groupCount
        hidden = Linear(inputSize: (groupCount + 1) * modelDimension, outputSize: hiddenDimension, generator: &generator)
        output = Linear(inputSize: hiddenDimension, outputSize: groupCount, generator: &generator)
    }

    /// `hidden.*`, `output.*`.
    public var children: [(String, any Layer)] { [("hidden", hidden), ("output", output)] }

    /// The weights of both layers.
    public func namedParameters() -> [(String, Tensor)] { childParameters() }

    /// The gate weights w [b, G] for summary `summary` [b, D], `pooled` G × [b, D] and `present` [b][G].
    /// Without gradient recording the two layers run on their packed weights (see `packedLinear`).
    public func callAsFunction(summary: Tensor, pooled: [Tensor], present: [[Bool]]) -> Tensor {
        precondition(pooled.count == groupCount, "DynamicGate: \(pooled.count) groups, built for \(groupCount)")
        let input = Tensor.concatenate([summary] + pooled, axis: 1)
        let scores = packedLinear(output, packedLinear(hidden, input).tanh())
        let mask = Tensor(shape: [present.count, groupCount],
                          values: present.flatMap { row in row.map { $0 ? Float(0) : -1e9 } })
        return (scores + mask).softmax()
    }
}
