/// The hyper-parameters of a wav2vec 2.0 encoder (Hugging Face `Wav2Vec2Config`).
public struct Wav2Vec2Configuration: Sendable, Equatable {
    /// How the convolutional feature encoder normalises (`feat_extract_norm`).
    public enum FeatureNorm: String, Sendable {
        /// GroupNorm with one group per channel on the first conv layer only (wav2vec2-base).
        case group
        /// LayerNorm over channels after every conv layer (wav2vec2-large-lv60, XLS-R).
        case layer
    }

    /// Output channels of each conv layer (`conv_dim`).
    public var convolutionChannels: [Int]
    /// Kernel width of each conv layer (`conv_kernel`).
    public var convolutionKernels: [Int]
    /// Stride of each conv layer (`conv_stride`).
    public var convolutionStrides: [Int]
    /// Whether the conv layers have biases (`conv_bias`).
    public var convolutionBias: Bool
    /// The feature encoder's normalisation.
    public var featureNorm: FeatureNorm
    /// Width D of the Transformer.
    public var hiddenSize: Int
    /// Number of Transformer layers.
    public var layerCount: Int
    /// Number of attention heads.
    public var headCount: Int
    /// Width of the feed-forward layer.
    public var intermediateSize: Int
    /// Kernel width of the positional convolution (`num_conv_pos_embeddings`).
    public var positionalKernel: Int
    /// Groups of the positional convolution (`num_conv_pos_embedding_groups`).
    public var positionalGroups: Int
    /// Pre-norm Transformer layers with the encoder LayerNorm at the end (`do_stable_layer_norm`), else post-norm
    /// with the encoder LayerNorm before the first layer.
    public var stableLayerNorm: Bool
    /// LayerNorm ε of the feature projection and the Transformer (`layer_norm_eps`).
    public var layerNormEpsilon: Float

    /// A configuration from explicit values (for small trainable models built in code).
    public init(convolutionChannels: [Int], convolutionKernels: [Int], convolutionStrides: [Int], convolutionBias: Bool = false,
                featureNorm: FeatureNorm = .group, hiddenSize: Int, layerCount: Int, headCount: Int, intermediateSize: Int,
                positionalKernel: Int = 128, positionalGroups: Int = 16, stableLayerNorm: Bool = false,
                layerNormEpsilon: Float = 1e-5) {
        self.convolutionChannels = convolutionChannels
        self.convolutionKernels = convolutionKernels
        self.convolutionStrides = convolutionStrides
        self.convolutionBias = convolutionBias
        self.featureNorm = featureNorm
        self.hiddenSize = hiddenSize
        self.layerCount = layerCount
        self.headCount = headCount
        self.intermediateSize = intermediateSize
        self.positionalKernel = positionalKernel
        self.positionalGroups = positionalGroups
        self.stableLayerNorm = stableLayerNorm
        self.layerNormEpsilon = layerNormEpsilon
    }

    /// Reads the fields of a `wav2vec2` config.json.
    ///
    /// - Throws: ``EncoderError`` naming the field for a missing or unsupported value (activations other than gelu,
    ///   an adapter, conv lists of unequal length, sizes that do not divide).
    public init(_ configuration: CheckpointConfiguration) throws {
        let normName = try configuration.string("feat_extract_norm", default: "group")
        guard let featureNorm = FeatureNorm(rawValue: normName) else {
            throw EncoderError(file: configuration.path, field: "feat_extract_norm", message: "\"\(normName)\" is not group or layer")
        }
        self.init(
            convolutionChannels: try configuration.integers("conv_dim", default: [512, 512, 512, 512, 512, 512, 512]),
            convolutionKernels: try configuration.integers("conv_kernel", default: [10, 3, 3, 3, 3, 2, 2]),
            convolutionStrides: try configuration.integers("conv_stride", default: [5, 2, 2, 2, 2, 2, 2]),
            convolutionBias: try configuration.boolean("conv_bias", default: false),
            featureNorm: featureNorm,
            hiddenSize: try configuration.integer("hidden_size", default: 768),
            layerCount: try configuration.integer("num_hidden_layers", default: 12),
            headCount: try configuration.integer("num_attention_heads", default: 12),
            intermediateSize: try configuration.integer("intermediate_size", default: 3072),
            positionalKernel: try configuration.integer("num_conv_pos_embeddings", default: 128),
            positionalGroups: try configuration.integer("num_conv_pos_embedding_groups", default: 16),
            stableLayerNorm: try configuration.boolean("do_stable_layer_norm", default: false),
            layerNormEpsilon: Float(try configuration.number("layer_norm_eps", default: 1e-5)))
        try configuration.requireGELU("hidden_act")
        try configuration.requireGELU("feat_extract_activation")
        if try configuration.boolean("add_adapter", default: false) {
            throw EncoderError(file: configuration.path, field: "add_adapter", message: "adapter layers are not supported")
        }
        if let problem = validationProblem() {
            throw EncoderError(file: configuration.path, field: problem.field, message: problem.message)
        }
    }

    /// The first inconsistency found, as (config field, message), or nil.
    public func validationProblem() -> (field: String, message: String)? {
        if convolutionChannels.isEmpty || convolutionKernels.count != convolutionChannels.count
            || convolutionStrides.count != convolutionChannels.count {
            return ("conv_dim", "conv_dim, conv_kernel and conv_stride must be non-empty lists of one length")
        }
        if convolutionChannels.contains(where: { $0 <= 0 }) || convolutionKernels.contains(where: { $0 <= 0 })
            || convolutionStrides.contains(where: { $0 <= 0 }) {
            return ("conv_dim", "conv sizes must be positive")
        }
        if hiddenSize <= 0 || headCount <= 0 || hiddenSize % headCount != 0 {
            return ("num_attention_heads", "hidden_size \(hiddenSize) is not a multiple of \(headCount) heads")
        }
        if positionalGroups <= 0 || hiddenSize % positionalGroups != 0 || positionalKernel <= 0 {
            return ("num_conv_pos_embedding_groups", "hidden_size \(hiddenSize) is not a multiple of \(positionalGroups) groups")
        }
        if layerCount < 0 || intermediateSize <= 0 {
            return ("num_hidden_layers", "layer count and intermediate size must be positive")
        }
        return nil
    }

    /// The number of feature frames for `sampleCount` input samples: per conv layer L ← ⌊(L − K)/S⌋ + 1
    /// (0 when the input is shorter than the receptive field).
    public func frameCount(forSamples sampleCount: Int) -> Int {
        var length = sampleCount
        for (kernel, stride) in zip(convolutionKernels, convolutionStrides) {
            guard length >= kernel else { return 0 }
            length = (length - kernel) / stride + 1
        }
        return length
    }
}
