/// The hyper-parameters of a Vision Transformer (Hugging Face `ViTConfig`).
public struct ViTConfiguration: Sendable, Equatable {
    /// Width D of every token vector.
    public var hiddenSize: Int
    /// Number of encoder layers.
    public var layerCount: Int
    /// Number of attention heads; D must divide by it.
    public var headCount: Int
    /// Width of the feed-forward layer.
    public var intermediateSize: Int
    /// Side of the square input image, in pixels.
    public var imageSize: Int
    /// Side p of a square patch; `imageSize` must divide by it.
    public var patchSize: Int
    /// Channels C of the input image.
    public var channelCount: Int
    /// LayerNorm ε.
    public var layerNormEpsilon: Float
    /// Whether the query, key and value projections have biases.
    public var queryKeyValueBias: Bool
    /// Width of the pooler output (the pooler maps D → this); nil for a model without pooler.
    public var poolerOutputSize: Int?

    /// A configuration from explicit values (for small trainable models built in code).
    public init(hiddenSize: Int, layerCount: Int, headCount: Int, intermediateSize: Int, imageSize: Int, patchSize: Int,
                channelCount: Int = 3, layerNormEpsilon: Float = 1e-12, queryKeyValueBias: Bool = true,
                poolerOutputSize: Int? = nil) {
        self.hiddenSize = hiddenSize
        self.layerCount = layerCount
        self.headCount = headCount
        self.intermediateSize = intermediateSize
        self.imageSize = imageSize
        self.patchSize = patchSize
        self.channelCount = channelCount
        self.layerNormEpsilon = layerNormEpsilon
        self.queryKeyValueBias = queryKeyValueBias
        self.poolerOutputSize = poolerOutputSize
    }

    /// Reads the fields of a `vit` config.json; the pooler is included when `withPooler`.
    ///
    /// - Throws: ``EncoderError`` naming the field for a missing or unsupported value (activation other than
    ///   gelu, sizes that do not divide).
    public init(_ configuration: CheckpointConfiguration, withPooler: Bool) throws {
        let hiddenSize = try configuration.integer("hidden_size", default: 768)
        self.init(
            hiddenSize: hiddenSize,
            layerCount: try configuration.integer("num_hidden_layers", default: 12),
            headCount: try configuration.integer("num_attention_heads", default: 12),
            intermediateSize: try configuration.integer("intermediate_size", default: 3072),
            imageSize: try configuration.integer("image_size", default: 224),
            patchSize: try configuration.integer("patch_size", default: 16),
            channelCount: try configuration.integer("num_channels", default: 3),
            layerNormEpsilon: Float(try configuration.number("layer_norm_eps", default: 1e-12)),
            queryKeyValueBias: try configuration.boolean("qkv_bias", default: true),
            poolerOutputSize: withPooler ? try configuration.integer("pooler_output_size", default: hiddenSize) : nil)
        try configuration.requireGELU("hidden_act")
        if withPooler {
            let poolerActivation = try configuration.string("pooler_act", default: "tanh")
            guard poolerActivation == "tanh" else {
                throw EncoderError(file: configuration.path, field: "pooler_act", message: "\"\(poolerActivation)\" is not supported (only tanh)")
            }
        }
        if let problem = validationProblem() {
            throw EncoderError(file: configuration.path, field: problem.field, message: problem.message)
        }
    }

    /// Number of patches N = (imageSize/patchSize)²; the sequence holds N + 1 tokens with [CLS].
    public var patchCount: Int { (imageSize / patchSize) * (imageSize / patchSize) }

    /// The first inconsistency found, as (config field, message), or nil.
    public func validationProblem() -> (field: String, message: String)? {
        if hiddenSize <= 0 || headCount <= 0 || hiddenSize % headCount != 0 {
            return ("num_attention_heads", "hidden_size \(hiddenSize) is not a multiple of \(headCount) heads")
        }
        if patchSize <= 0 || imageSize <= 0 || imageSize % patchSize != 0 {
            return ("patch_size", "image_size \(imageSize) is not a multiple of patch_size \(patchSize)")
        }
        if layerCount < 0 || intermediateSize <= 0 || channelCount <= 0 {
            return ("num_hidden_layers", "layer count, intermediate size and channels must be positive")
        }
        return nil
    }
}
