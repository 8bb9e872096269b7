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
    ///
    /// Without gradient recording and with dropout inactive, runs ``inference(_:additiveMask:)``.
    public func callAsFunction(_ input: Tensor, additiveMask: Tensor? = nil) -> Tensor {
        if let result = inference(input, additiveMask: additiveMask) { return result }
        switch normPosition {
        case .post:
            let attended = attentionNorm(input + attentionDropout(attention(input, additiveMask: additiveMask)))
            return outputNorm(attended + outputDropout(feedForward(attended)))
        case .pre:
            let attended = input + attentionDropout(attention(attentionNorm(input), additiveMask: additiveMask))
            return attended + outputDropout(feedForward(outputNorm(attended)))
        }
    }

    /// The block for inference on raw buffers, or nil when it does not apply (gradient recording, active dropout,
    /// fewer than `Linear.packedRowThreshold` tokens, or shapes other than [b, s, D]).
    ///
    /// The same formulas as the recorded path, with fewer passes over memory: Q, K and V are one packed product
    /// ([Q | K | V] per token), the residual enters the output projections as their starting value (x + b_o + …,
    /// h + b₂ + …), and the activation runs on each output block of W₁ while it is in cache. Results differ from the
    /// recorded path only by float rounding (residual and bias are added before the products, not after).
    func inference(_ input: Tensor, additiveMask: Tensor?) -> Tensor? {
        let dropoutActive = (attentionDropout.isTraining && attentionDropout.probability > 0)
            || (outputDropout.isTraining && outputDropout.probability > 0)
        let width = attentionNorm.weight.count
        guard !GradientMode.isEnabled, !dropoutActive, input.rank == 3, input.shape[2] == width,
              input.count / Swift.max(width, 1) >= Linear.packedRowThreshold
        else { return nil }
        let (sequences, length) = (input.shape[0], input.shape[1])
        if let additiveMask, additiveMask.shape != [sequences, length] { return nil }
        let rows = sequences * length
        let feedForward = intermediate.weight.shape[0]
        let normed = UnsafeMutablePointer<Float>.allocate(capacity: rows * width)
        defer { normed.deallocate() }
        let hidden = UnsafeMutablePointer<Float>.allocate(capacity: rows * feedForward)
        defer { hidden.deallocate() }
        let attended = UnsafeMutablePointer<Float>.allocate(capacity: rows * width)
        defer { attended.deallocate() }
        let epilogue: PackedWeight.Epilogue = activation == .gelu ? .gelu : .relu
        let values = input.values.withUnsafeBufferPointer { x in
            Tensor.withOptionalValues(additiveMask) { mask in
                makeFloatArray(count: rows * width) { output in
                    let (x, y) = (x.baseAddress!, output.baseAddress!)
                    switch normPosition {
                    case .pre:
                        // h = x + Attn(LN₁(x)); y = h + W₂·act(W₁·LN₂(h) + b₁) + b₂.
                        attentionNorm.inference(x, rows: rows, into: normed)
                        attention.selfAttentionInference(normed, rows: rows, sequences: sequences, additiveMask: mask,
                                                         residual: x, into: attended)
                        outputNorm.inference(attended, rows: rows, into: normed)
                        intermediate.inference(normed, rows: rows, into: hidden, outputStride: feedForward,
                                               epilogue: epilogue)
                        outputDense.inference(hidden, rows: rows, into: y, outputStride: width, addend: attended)
                    case .post:
                        // h = LN₁(x + Attn(x)); y = LN₂(h + W₂·act(W₁·h + b₁) + b₂).
                        attention.selfAttentionInference(x, rows: rows, sequences: sequences, additiveMask: mask,
                                                         residual: x, into: normed)
                        attentionNorm.inference(normed, rows: rows, into: attended)
                        intermediate.inference(attended, rows: rows, into: hidden, outputStride: feedForward,
                                               epilogue: epilogue)
                        outputDense.inference(hidden, rows: rows, into: normed, outputStride: width, addend: attended)
                        outputNorm.inference(normed, rows: rows, into: y)
                    }
                }
            }
        }
        return Tensor(shape: input.shape, values: values)
    }
}

