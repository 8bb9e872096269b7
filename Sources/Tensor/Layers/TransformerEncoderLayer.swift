/// One Transformer encoder block: self-attention and a feed-forward network, each with a residual and LayerNorm.
///
/// Post-norm (BERT, PyTorch's default):
///   h = LN₁(x + Drop(Attn(x))), y = LN₂(h + Drop(W₂·act(W₁·h + b₁) + b₂)).
/// Pre-norm:
///   h = x + Drop(Attn(LN₁(x))), y = h + Drop(W₂·act(W₁·LN₂(h) + b₁) + b₂).
/// Parameter names follow Hugging Face BERT's `encoder.layer.N.` subtree: `attention.self.{query,key,value}`,
/// `attention.output.dense`, `attention.output.LayerNorm` (LN₁), `intermediate.dense` (W₁ [ff, D]),
/// `output.dense` (W₂ [D, ff]), `output.LayerNorm` (LN₂). Shapes: x [b, s, D], mask [b, s] → y [b, s, D].
public final class TransformerEncoderLayer: Layer {
    /// Where the LayerNorms sit relative to the residual connections.
    public enum NormPosition: Sendable {
        /// After each residual sum (BERT, the original Transformer).
        case post
        /// Before each sub-layer, on the residual branch only.
        case pre
    }

    /// The feed-forward activation.
    public enum Activation: Sendable {
        /// GELU, erf form (BERT).
        case gelu
        /// max(x, 0) (PyTorch's default).
        case relu
    }

    /// The self-attention (`attention.self.*`, `attention.output.dense`).
    public let attention: MultiHeadAttention
    /// LN₁ (`attention.output.LayerNorm`).
    public let attentionNorm: LayerNorm
    /// W₁ (`intermediate.dense`), [ff, D].
    public let intermediate: Linear
    /// W₂ (`output.dense`), [D, ff].
    public let outputDense: Linear
    /// LN₂ (`output.LayerNorm`).
    public let outputNorm: LayerNorm
    /// Dropout on the attention branch.
    public let attentionDropout: Dropout
    /// Dropout on the feed-forward branch.
    public let outputDropout: Dropout
    /// Post-norm or pre-norm.
    public let normPosition: NormPosition
    /// The feed-forward activation.
    public let activation: Activation
    /// True in training mode.
    public var isTraining = true

    /// Creates a block of width `modelDimension`, `headCount` heads and a feed-forward of `feedForwardDimension`.
    public init(modelDimension: Int, headCount: Int, feedForwardDimension: Int, dropout: Float = 0.1,
                activation: Activation = .gelu, normPosition: NormPosition = .post, layerNormEpsilon: Float = 1e-12,
                generator: inout SeededGenerator) {
        attention = MultiHeadAttention(modelDimension: modelDimension, headCount: headCount, generator: &generator)
        attentionNorm = LayerNorm(dimension: modelDimension, epsilon: layerNormEpsilon)
        intermediate = Linear(inputSize: modelDimension, outputSize: feedForwardDimension, generator: &generator)
        outputDense = Linear(inputSize: feedForwardDimension, outputSize: modelDimension, generator: &generator)
        outputNorm = LayerNorm(dimension: modelDimension, epsilon: layerNormEpsilon)
        attentionDropout = Dropout(probability: dropout, seed: generator.next())
        outputDropout = Dropout(probability: dropout, seed: generator.next())
        self.normPosition = normPosition
        self.activation = activation
    }

    /// The sub-layers under their BERT names.
    public var children: [(String, any Layer)] {
        [("attention", attention), ("attention.output.LayerNorm", attentionNorm), ("intermediate.dense", intermediate),
         ("output.dense", outputDense), ("output.LayerNorm", outputNorm),
         ("attention.dropout", attentionDropout), ("output.dropout", outputDropout)]
    }

    /// All weights under their BERT names.
    public func namedParameters() -> [(String, Tensor)] { childParameters() }

    /// The feed-forward branch W₂·act(W₁·x + b₁) + b₂.
    func feedForward(_ input: Tensor) -> Tensor {
        let hidden = intermediate(input)
        if activation == .gelu && !GradientMode.isEnabled {
            // Inference: `hidden` is a temporary of this call, so GELU can overwrite it.
            hidden.applyGeluInPlace()
            return outputDense(hidden)
        }
        return outputDense(activation == .gelu ? hidden.gelu() : hidden.relu())
    }

    /// Runs the block: x [b, s, D], `additiveMask` [b, s] (see `Tensor.additiveKeyPaddingMask`) → [b, s, D].
    public func callAsFunction(_ input: Tensor, additiveMask: Tensor? = nil) -> Tensor {
        switch normPosition {
        case .post:
            let attended = attentionNorm(input + attentionDropout(attention(input, additiveMask: additiveMask)))
            return outputNorm(attended + outputDropout(feedForward(attended)))
        case .pre:
            let attended = input + attentionDropout(attention(attentionNorm(input), additiveMask: additiveMask))
            return attended + outputDropout(feedForward(outputNorm(attended)))
        }
    }
}
