import Tensor

/// A Vision Transformer in Hugging Face's tensor layout (`ViTModel`), built from Tensor operations, so it runs
/// under `GradientMode.withoutGradient` for inference and trains with autodiff.
///
/// Forward for pixels x [B, C, S, S] (S = image size, p = patch size, N = (S/p)², D = hidden size):
/// - patch embedding: the Conv2d with kernel = stride = p as patches(x) [B, N, C·p·p] · Wᵀ + b,
///   W = `embeddings.patch_embeddings.projection.weight` [D, C, p, p] read as [D, C·p·p] (channel-major patches);
/// - tokens = [CLS; patches] + position embeddings [1, N + 1, D];
/// - L pre-norm ``ViTLayer``s, then the final LayerNorm `layernorm` → last hidden state [B, N + 1, D];
/// - pooler (when present): tanh(`pooler.dense`(h[:, 0])) → [B, P].
public final class ViTModel: Layer {
    /// The hyper-parameters.
    public let configuration: ViTConfiguration
    /// [CLS] vector, [1, 1, D] (`embeddings.cls_token`).
    public let classToken: Tensor
    /// Position embeddings, [1, N + 1, D] (`embeddings.position_embeddings`).
    public let positionEmbeddings: Tensor
    /// Patch projection weight, [D, C, p, p] (`embeddings.patch_embeddings.projection.weight`).
    public let patchWeight: Tensor
    /// Patch projection bias, [D].
    public let patchBias: Tensor
    /// The encoder blocks (`encoder.layer.N`).
    public let layers: [ViTLayer]
    /// Final LayerNorm (`layernorm`).
    public let finalNorm: LayerNorm
    /// Pooler dense layer [P, D] (`pooler.dense`), or nil.
    public let pooler: Linear?
    /// Dropout on the embeddings.
    public let embeddingDropout: Dropout
    /// True in training mode.
    public var isTraining = true

    /// A randomly initialised model (Linear: PyTorch default; [CLS], positions and patch weights: N(0, 0.02²)).
    public init(configuration: ViTConfiguration, dropout: Float = 0, seed: UInt64 = 0) {
        precondition(configuration.validationProblem() == nil, "ViTModel: \(configuration.validationProblem()!.message)")
        var generator = SeededGenerator(seed: seed)
        let width = configuration.hiddenSize
        let patchSize = configuration.patchSize
        self.configuration = configuration
        classToken = Tensor.normal([1, 1, width], standardDeviation: 0.02, generator: &generator, requiresGradient: true)
        positionEmbeddings = Tensor.normal([1, configuration.patchCount + 1, width], standardDeviation: 0.02,
                                           generator: &generator, requiresGradient: true)
        patchWeight = Tensor.normal([width, configuration.channelCount, patchSize, patchSize], standardDeviation: 0.02,
                                    generator: &generator, requiresGradient: true)
        patchBias = Tensor.zeros([width], requiresGradient: true)
        layers = (0..<configuration.layerCount).map { _ in
            ViTLayer(configuration: configuration, dropout: dropout, generator: &generator)
        }
        finalNorm = LayerNorm(dimension: width, epsilon: configuration.layerNormEpsilon)
        pooler = configuration.poolerOutputSize.map { Linear(inputSize: width, outputSize: $0, generator: &generator) }
        embeddingDropout = Dropout(probability: dropout, seed: generator.next())
    }

    /// The sub-layers under their Hugging Face names.
    public var children: [(String, any Layer)] {
        var children: [(String, any Layer)] = layers.enumerated().map { ("encoder.layer.\($0.offset)", $0.element) }
        children.append(("layernorm", finalNorm))
        if let pooler { children.append(("pooler.dense", pooler)) }
        children.append(("embeddings.dropout", embeddingDropout))
        return children
    }

    /// Every weight under its Hugging Face `ViTModel` name.
    public func namedParameters() -> [(String, Tensor)] {
        [("embeddings.cls_token", classToken), ("embeddings.position_embeddings", positionEmbeddings),
         ("embeddings.patch_embeddings.projection.weight", patchWeight),
         ("embeddings.patch_embeddings.projection.bias", patchBias)] + childParameters()
    }

    /// The embedded tokens [B, N + 1, D] for pixels [B, C, S, S].
    public func embed(_ pixels: Tensor) -> Tensor {
        let (width, patchSize) = (configuration.hiddenSize, configuration.patchSize)
        precondition(pixels.rank == 4 && pixels.shape[1] == configuration.channelCount
                     && pixels.shape[2] == configuration.imageSize && pixels.shape[3] == configuration.imageSize,
                     "ViTModel: pixels \(pixels.shape), need [batch, \(configuration.channelCount), \(configuration.imageSize), \(configuration.imageSize)]")
        let batch = pixels.shape[0]
        let patchTokens = pixels.patches(size: patchSize)
            .linear(weight: patchWeight.reshaped([width, configuration.channelCount * patchSize * patchSize]), bias: patchBias)
        let classTokens = classToken + Tensor.zeros([batch, 1, width])
        return embeddingDropout(Tensor.concatenate([classTokens, patchTokens], axis: 1) + positionEmbeddings)
    }

    /// The last hidden state [B, N + 1, D] and the pooler output [B, P] (nil without pooler) for pixels [B, C, S, S].
    public func callAsFunction(_ pixels: Tensor) -> (lastHiddenState: Tensor, poolerOutput: Tensor?) {
        let hidden = finalNorm(layers.reduce(embed(pixels)) { state, layer in layer(state) })
        let pooled = pooler.map { dense in
            dense(hidden.slice(axis: 1, start: 0, length: 1).reshaped([hidden.shape[0], configuration.hiddenSize])).tanh()
        }
        return (hidden, pooled)
    }

    /// Loads `config.json` and `model.safetensors` of a `vit` checkpoint (tensors with or without a `vit.` prefix;
    /// the pooler is used when the checkpoint has `pooler.dense.weight`).
    ///
    /// - Throws: ``EncoderError`` for a missing file, an unsupported setting or a missing or mis-shaped tensor.
    public convenience init(configuration file: CheckpointConfiguration, weights: CheckpointWeights) throws {
        let prefix = weights.prefix(holding: "embeddings.cls_token", candidates: ["vit."]) ?? ""
        let configuration = try ViTConfiguration(file, withPooler: weights.contains(prefix + "pooler.dense.weight"))
        self.init(configuration: configuration)
        try weights.load(into: self, prefix: prefix)
        setTraining(false)
    }
}
