import Tensor

/// One pre-norm ViT encoder block (Hugging Face `ViTLayer`):
///   h = x + Attn(LN_before(x)), y = h + W₂·GELU(W₁·LN_after(h) + b₁) + b₂,
/// Attn the multi-head self-attention softmax(Q_h·K_hᵀ/√d_h)·V_h followed by `attention.output.dense`.
/// Names: `attention.attention.{query,key,value}`, `attention.output.dense`, `intermediate.dense` ([ff, D]),
/// `output.dense` ([D, ff]), `layernorm_before`, `layernorm_after`. Shapes: x [b, s, D] → [b, s, D].
public final class ViTLayer: Layer {
    /// Q projection, [D, D].
    public let query: Linear
    /// K projection, [D, D].
    public let key: Linear
    /// V projection, [D, D].
    public let value: Linear
    /// Attention output projection, [D, D].
    public let attentionOutput: Linear
    /// W₁, [ff, D].
    public let intermediate: Linear
    /// W₂, [D, ff].
    public let output: Linear
    /// LayerNorm before attention.
    public let normBefore: LayerNorm
    /// LayerNorm before the feed-forward network.
    public let normAfter: LayerNorm
    /// Dropout on both residual branches (p = 0 matches the published configs).
    public let dropout: Dropout
    /// The number of heads.
    public let headCount: Int
    /// True in training mode.
    public var isTraining = true

    /// A block with PyTorch's default Linear initialisation drawn from `generator`.
    public init(configuration: ViTConfiguration, dropout probability: Float = 0, generator: inout SeededGenerator) {
        let width = configuration.hiddenSize
        headCount = configuration.headCount
        query = Linear(inputSize: width, outputSize: width, bias: configuration.queryKeyValueBias, generator: &generator)
        key = Linear(inputSize: width, outputSize: width, bias: configuration.queryKeyValueBias, generator: &generator)
        value = Linear(inputSize: width, outputSize: width, bias: configuration.queryKeyValueBias, generator: &generator)
        attentionOutput = Linear(inputSize: width, outputSize: width, generator: &generator)
        intermediate = Linear(inputSize: width, outputSize: configuration.intermediateSize, generator: &generator)
        output = Linear(inputSize: configuration.intermediateSize, outputSize: width, generator: &generator)
        normBefore = LayerNorm(dimension: width, epsilon: configuration.layerNormEpsilon)
        normAfter = LayerNorm(dimension: width, epsilon: configuration.layerNormEpsilon)
        dropout = Dropout(probability: probability, seed: generator.next())
    }

    /// The sub-layers under their Hugging Face names.
    public var children: [(String, any Layer)] {
        [("attention.attention.query", query), ("attention.attention.key", key), ("attention.attention.value", value),
         ("attention.output.dense", attentionOutput), ("intermediate.dense", intermediate), ("output.dense", output),
         ("layernorm_before", normBefore), ("layernorm_after", normAfter), ("dropout", dropout)]
    }

    /// All weights under their Hugging Face names.
    public func namedParameters() -> [(String, Tensor)] { childParameters() }

    /// Runs the block: x [b, s, D] → [b, s, D].
    public func callAsFunction(_ input: Tensor) -> Tensor {
        let normalized = normBefore(input)
        let context = Tensor.scaledDotProductAttention(query: query(normalized), key: key(normalized), value: value(normalized),
                                                       headCount: headCount)
        let attended = input + dropout(attentionOutput(context))
        return attended + dropout(output(intermediate(normAfter(attended)).gelu()))
    }
}
