import Tensor

/// A wav2vec 2.0 encoder in Hugging Face's tensor layout (`Wav2Vec2Model`), built from Tensor operations, so it runs
/// under `GradientMode.withoutGradient` for inference and trains with autodiff.
///
/// Forward for samples x [B, L] (optionally with a 0/1 sample mask [B, L]):
/// - features f = ``Wav2Vec2FeatureEncoder`` (x) transposed to [B, T, C];
/// - extract features e = LN(f) (`feature_projection.layer_norm`), h = e·Wᵀ + b (`feature_projection.projection`) [B, T, D];
/// - with a mask, frame t of sequence b is valid when t < frames(Σ mask[b]); invalid frames of h are set to 0 and
///   masked out of attention as keys;
/// - post-norm: h = LN_enc(h + PosConv(h)), then the layers; stable: h = h + PosConv(h), the layers, then LN_enc
///   (`encoder.layer_norm`) → last hidden state [B, T, D].
/// There is no pooler. `masked_spec_embed` (SpecAugment, training only) is not used.
public final class Wav2Vec2Model: Layer {
    /// The hyper-parameters.
    public let configuration: Wav2Vec2Configuration
    /// The conv feature encoder (`feature_extractor`).
    public let featureEncoder: Wav2Vec2FeatureEncoder
    /// `feature_projection.layer_norm`, over C_last.
    public let projectionNorm: LayerNorm
    /// `feature_projection.projection`, [D, C_last].
    public let projection: Linear
    /// `encoder.pos_conv_embed`.
    public let positionalConvolution: Wav2Vec2PositionalConvolution
    /// `encoder.layer_norm`.
    public let encoderNorm: LayerNorm
    /// `encoder.layers.N`.
    public let layers: [Wav2Vec2EncoderLayer]
    /// Dropout after the feature projection and the position embedding.
    public let dropout: Dropout
    /// True in training mode.
    public var isTraining = true

    /// A randomly initialised model.
    public init(configuration: Wav2Vec2Configuration, dropout probability: Float = 0, seed: UInt64 = 0) {
        precondition(configuration.validationProblem() == nil, "Wav2Vec2Model: \(configuration.validationProblem()!.message)")
        var generator = SeededGenerator(seed: seed)
        self.configuration = configuration
        let channels = configuration.convolutionChannels.last!
        featureEncoder = Wav2Vec2FeatureEncoder(configuration: configuration, generator: &generator)
        projectionNorm = LayerNorm(dimension: channels, epsilon: configuration.layerNormEpsilon)
        projection = Linear(inputSize: channels, outputSize: configuration.hiddenSize, generator: &generator)
        positionalConvolution = Wav2Vec2PositionalConvolution(
            width: configuration.hiddenSize, kernel: configuration.positionalKernel, groups: configuration.positionalGroups,
            generator: &generator)
        encoderNorm = LayerNorm(dimension: configuration.hiddenSize, epsilon: configuration.layerNormEpsilon)
        layers = (0..<configuration.layerCount).map { _ in
            Wav2Vec2EncoderLayer(configuration: configuration, dropout: probability, generator: &generator)
        }
        dropout = Dropout(probability: probability, seed: generator.next())
    }

    /// The sub-layers under their Hugging Face names.
    public var children: [(String, any Layer)] {
        var children: [(String, any Layer)] = [
            ("feature_extractor", featureEncoder), ("feature_projection.layer_norm", projectionNorm),
            ("feature_projection.projection", projection), ("encoder.pos_conv_embed", positionalConvolution),
            ("encoder.layer_norm", encoderNorm),
        ]
        children += layers.enumerated().map { ("encoder.layers.\($0.offset)", $0.element) }
        children.append(("dropout", dropout))
        return children
    }

    /// Every weight under its Hugging Face `Wav2Vec2Model` name (weight norm as `weight_g` / `weight_v`).
    public func namedParameters() -> [(String, Tensor)] { childParameters() }

    /// The valid-frame mask [B, T] (1 valid, 0 padding) for a 0/1 sample mask [B][L].
    public func frameMask(sampleMask: [[Int]], frameCount: Int) -> [[Int]] {
        sampleMask.map { row in
            let valid = configuration.frameCount(forSamples: row.reduce(0) { $0 + ($1 != 0 ? 1 : 0) })
            return (0..<frameCount).map { $0 < valid ? 1 : 0 }
        }
    }

    /// The last hidden state [B, T, D] and the extract features [B, T, C_last] for samples [B, L].
    ///
    /// `sampleMask` (B rows of L values, 1 real, 0 padding; Hugging Face's `attention_mask`) zeroes the padded
    /// frames before the position embedding and hides them from attention.
    public func callAsFunction(_ samples: Tensor, sampleMask: [[Int]]? = nil) -> (lastHiddenState: Tensor, extractFeatures: Tensor) {
        let features = featureEncoder(samples).transposedLastTwo()
        let extractFeatures = projectionNorm(features)
        var hidden = dropout(projection(extractFeatures))
        var additiveMask: Tensor?
        if let sampleMask {
            precondition(sampleMask.count == samples.shape[0] && sampleMask.allSatisfy { $0.count == samples.shape[1] },
                         "Wav2Vec2Model: sample mask does not match samples \(samples.shape)")
            let frames = frameMask(sampleMask: sampleMask, frameCount: hidden.shape[1])
            let keep = Tensor(shape: [hidden.shape[0], hidden.shape[1], 1], values: frames.flatMap { row in row.map { Float($0) } })
            hidden = hidden * keep
            additiveMask = Tensor.additiveKeyPaddingMask(frames)
        }
        hidden = hidden + positionalConvolution(hidden)
        if !configuration.stableLayerNorm { hidden = encoderNorm(hidden) }
        hidden = dropout(hidden)
        for layer in layers { hidden = layer(hidden, additiveMask: additiveMask) }
        if configuration.stableLayerNorm { hidden = encoderNorm(hidden) }
        return (hidden, extractFeatures)
    }

    /// Loads `config.json` and `model.safetensors` of a `wav2vec2` checkpoint (tensors with or without a `wav2vec2.`
    /// prefix; weight norm in either spelling).
    ///
    /// - Throws: ``EncoderError`` for an unsupported setting or a missing or mis-shaped tensor (named).
    public convenience init(configuration file: CheckpointConfiguration, weights: CheckpointWeights) throws {
        let prefix = weights.prefix(holding: "feature_projection.projection.weight", candidates: ["wav2vec2."]) ?? ""
        self.init(configuration: try Wav2Vec2Configuration(file))
        try weights.load(into: self, prefix: prefix)
        setTraining(false)
    }
}
