import Tensor

/// One wav2vec 2.0 Transformer layer (`Wav2Vec2EncoderLayer` / `Wav2Vec2EncoderLayerStableLayerNorm`).
///
/// Post-norm: h = LN(x + Attn(x)), y = LN_final(h + FF(h)).
/// Stable (pre-norm): h = x + Attn(LN(x)), y = h + FF(LN_final(h)).
/// Attn: softmax(Q_h·K_hᵀ/√d_h + M)·V_h per head, then `out_proj`; FF(x) = W₂·GELU(W₁·x + b₁) + b₂.
/// Names: `attention.{q,k,v,out}_proj`, `feed_forward.intermediate_dense` ([ff, D]), `feed_forward.output_dense`
/// ([D, ff]), `layer_norm`, `final_layer_norm`. Shapes: x [b, T, D], mask [b, T] additive → [b, T, D].
public final class Wav2Vec2EncoderLayer: Layer {
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
    /// LN (`layer_norm`).
    public let norm: LayerNorm
    /// LN_final (`final_layer_norm`).
    public let finalNorm: LayerNorm
    /// Dropout on the residual branches.
    public let dropout: Dropout
    /// Pre-norm (stable) or post-norm.
    public let stableLayerNorm: Bool
    /// The number of heads.
    public let headCount: Int
    /// True in training mode.
    public var isTraining = true

    /// A layer with PyTorch's default Linear initialisation drawn from `generator`.
    public init(configuration: Wav2Vec2Configuration, dropout probability: Float = 0, generator: inout SeededGenerator) {
        let width = configuration.hiddenSize
        headCount = configuration.headCount
        stableLayerNorm = configuration.stableLayerNorm
        query = Linear(inputSize: width, outputSize: width, generator: &generator)
        key = Linear(inputSize: width, outputSize: width, generator: &generator)
        value = Linear(inputSize: width, outputSize: width, generator: &generator)
        attentionOutput = Linear(inputSize: width, outputSize: width, generator: &generator)
        intermediate = Linear(inputSize: width, outputSize: configuration.intermediateSize, generator: &generator)
        output = Linear(inputSize: configuration.intermediateSize, outputSize: width, generator: &generator)
        norm = LayerNorm(dimension: width, epsilon: configuration.layerNormEpsilon)
        finalNorm = LayerNorm(dimension: width, epsilon: configuration.layerNormEpsilon)
        dropout = Dropout(probability: probability, seed: generator.next())
    }

    /// The sub-layers under their Hugging Face names.
    public var children: [(String, any Layer)] {
        [("attention.q_proj", query), ("attention.k_proj", key), ("attention.v_proj", value), ("attention.out_proj", attentionOutput),
         ("feed_forward.intermediate_dense", intermediate), ("feed_forward.output_dense", output),
         ("layer_norm", norm), ("final_layer_norm", finalNorm), ("dropout", dropout)]
    }

    /// All weights under their Hugging Face names.
    public func namedParameters() -> [(String, Tensor)] { childParameters() }

    /// Self-attention followed by `out_proj`: x [b, T, D] → [b, T, D].
    func attend(_ input: Tensor, additiveMask: Tensor?) -> Tensor {
        attentionOutput(Tensor.scaledDotProductAttention(query: query(input), key: key(input), value: value(input),
                                                         headCount: headCount, additiveMask: additiveMask))
    }

    /// The feed-forward branch W₂·GELU(W₁·x + b₁) + b₂.
    func feedForward(_ input: Tensor) -> Tensor {
        output(dropout(intermediate(input).gelu()))
    }

    /// Runs the layer: x [b, T, D], `additiveMask` [b, T] (0 keep, −1e9 padding) → [b, T, D].
    public func callAsFunction(_ input: Tensor, additiveMask: Tensor? = nil) -> Tensor {
        if stableLayerNorm {
            let attended = input + dropout(attend(norm(input), additiveMask: additiveMask))
            return attended + dropout(feedForward(finalNorm(attended)))
        }
        let attended = norm(input + dropout(attend(input, additiveMask: additiveMask)))
        return finalNorm(attended + dropout(feedForward(attended)))
    }
}
