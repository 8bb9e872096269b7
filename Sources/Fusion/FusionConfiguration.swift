/// The shape of a fusion model: its modalities, widths, Transformer depth, knowledge-graph tokens and heads.
///
/// Encoded as the checkpoint's config JSON (snake_case keys), so a checkpoint names everything needed to
/// rebuild the model before its weights are loaded.
public struct FusionConfiguration: Codable, Sendable, Equatable {
    /// The token sequences of the model in sequence order, after [CLS]: e.g. two accelerometers and a spectrogram.
    public var modalities: [ModalitySpecification]
    /// The width D of every token.
    public var modelDimension: Int
    /// The number of attention heads (D must divide by it).
    public var headCount: Int
    /// The hidden width of each feed-forward block.
    public var feedForwardDimension: Int
    /// The number of Transformer encoder layers.
    public var layerCount: Int
    /// Dropout probability inside the encoder layers during training.
    public var dropout: Float
    /// The number of classes of the classification head.
    public var classCount: Int
    /// Number of rows of the knowledge-graph entity table (0: no KG tokens).
    public var knowledgeEntityCount: Int
    /// Width of a knowledge-graph entity vector (the embedding model's entity width).
    public var knowledgeDimension: Int
    /// The number of KG token slots per case (fewer ids are padded and masked).
    public var knowledgeTokenCount: Int
    /// For each class, the row of its ontology class entity in the KG table (for case–class alignment), or empty.
    public var classEntityIndices: [Int]
    /// Width of the retrieval embedding.
    public var retrievalDimension: Int
    /// Hidden width of the gate network.
    public var gateHiddenDimension: Int
    /// Whether the encoder layers use pre-norm (true) or post-norm (false, BERT).
    public var preNorm: Bool
    /// The feed-forward activation: "gelu" or "relu".
    public var activation: String
    /// Seed of the parameter initialisation.
    public var seed: UInt64

    /// Creates a configuration; see the properties for the meaning of each value.
    public init(modalities: [ModalitySpecification], modelDimension: Int = 64, headCount: Int = 4,
                feedForwardDimension: Int = 128, layerCount: Int = 1, dropout: Float = 0.1, classCount: Int,
                knowledgeEntityCount: Int = 0, knowledgeDimension: Int = 0, knowledgeTokenCount: Int = 0,
                classEntityIndices: [Int] = [], retrievalDimension: Int = 32, gateHiddenDimension: Int = 32,
                preNorm: Bool = true, activation: String = "gelu", seed: UInt64 = 1) {
        self.modalities = modalities
        self.modelDimension = modelDimension
        self.headCount = headCount
        self.feedForwardDimension = feedForwardDimension
        self.layerCount = layerCount
        self.dropout = dropout
        self.classCount = classCount
        self.knowledgeEntityCount = knowledgeEntityCount
        self.knowledgeDimension = knowledgeDimension
        self.knowledgeTokenCount = knowledgeTokenCount
        self.classEntityIndices = classEntityIndices
        self.retrievalDimension = retrievalDimension
        self.gateHiddenDimension = gateHiddenDimension
        self.preNorm = preNorm
        self.activation = activation
        self.seed = seed
    }

    /// True when the model has knowledge-graph token slots.
    public var usesKnowledgeTokens: Bool { knowledgeTokenCount > 0 && knowledgeEntityCount > 0 }

    /// The gated groups: one per modality, plus one for the KG tokens when used.
    public var gateGroupCount: Int { modalities.count + (usesKnowledgeTokens ? 1 : 0) }

    /// The names of the gated groups in gate order (the modalities, then "knowledge_graph").
    public var gateGroupNames: [String] { modalities.map(\.name) + (usesKnowledgeTokens ? ["knowledge_graph"] : []) }

    /// The sequence length: [CLS] + every modality's tokens + the KG slots.
    public var sequenceLength: Int { 1 + modalities.reduce(0) { $0 + $1.tokenCount } + knowledgeTokenCount }

    /// The first sequence position of modality `index` (after [CLS] and the modalities before it).
    public func tokenOffset(ofModality index: Int) -> Int {
        1 + modalities[..<index].reduce(0) { $0 + $1.tokenCount }
    }

    /// The first sequence position of the KG tokens.
    public var knowledgeTokenOffset: Int { tokenOffset(ofModality: modalities.count) }

    /// Checks the values against each other; returns a message naming the field that is wrong, or nil.
    public func validationError() -> String? {
        if modalities.isEmpty { return "modalities: at least one is needed" }
        if Set(modalities.map(\.name)).count != modalities.count { return "modalities: names must be distinct" }
        for (index, modality) in modalities.enumerated() where modality.tokenCount <= 0 || modality.featureSize <= 0 {
            return "modalities[\(index)] (\(modality.name)): token_count and feature_size must be > 0"
        }
        if modelDimension <= 0 || headCount <= 0 || modelDimension % headCount != 0 {
            return "model_dimension \(modelDimension) must be a positive multiple of head_count \(headCount)"
        }
        if feedForwardDimension <= 0 || layerCount < 0 { return "feed_forward_dimension must be > 0, layer_count ≥ 0" }
        if !(dropout >= 0 && dropout < 1) { return "dropout \(dropout) must be in [0, 1)" }
        if activation != "gelu" && activation != "relu" { return "activation \(activation): need gelu or relu" }
        if classCount <= 0 { return "class_count must be > 0" }
        if knowledgeTokenCount < 0 || knowledgeEntityCount < 0 || knowledgeDimension < 0 {
            return "knowledge_* counts must be ≥ 0"
        }
        if knowledgeTokenCount > 0 && (knowledgeEntityCount == 0 || knowledgeDimension == 0) {
            return "knowledge_token_count > 0 needs knowledge_entity_count and knowledge_dimension > 0"
        }
        if !classEntityIndices.isEmpty {
            if classEntityIndices.count != classCount {
                return "class_entity_indices: \(classEntityIndices.count) entries for \(classCount) classes"
            }
            if let bad = classEntityIndices.first(where: { $0 < 0 || $0 >= knowledgeEntityCount }) {
                return "class_entity_indices: \(bad) outside 0..<\(knowledgeEntityCount)"
            }
        }
        if retrievalDimension <= 0 || gateHiddenDimension <= 0 {
            return "retrieval_dimension and gate_hidden_dimension must be > 0"
        }
        return nil
    }

    enum CodingKeys: String, CodingKey {
        case modalities, modelDimension = "model_dimension", headCount = "head_count"
        case feedForwardDimension = "feed_forward_dimension", layerCount = "layer_count", dropout
        case classCount = "class_count", knowledgeEntityCount = "knowledge_entity_count"
        case knowledgeDimension = "knowledge_dimension", knowledgeTokenCount = "knowledge_token_count"
        case classEntityIndices = "class_entity_indices", retrievalDimension = "retrieval_dimension"
        case gateHiddenDimension = "gate_hidden_dimension", preNorm = "pre_norm", activation, seed
    }
}

/// One input modality: a fixed number of feature tokens (frames, patches, word vectors) of a fixed width.
public struct ModalitySpecification: Codable, Sendable, Equatable {
    /// The modality's name (`drive_end`, `spectrogram`, `text`); parameter names use it.
    public var name: String
    /// Tokens per case (n).
    public var tokenCount: Int
    /// Features per token (f) before the projection to D.
    public var featureSize: Int

    /// Creates a modality of `tokenCount` tokens of `featureSize` features.
    public init(name: String, tokenCount: Int, featureSize: Int) {
        self.name = name
        self.tokenCount = tokenCount
        self.featureSize = featureSize
    }

    enum CodingKeys: String, CodingKey {
        case name, tokenCount = "token_count", featureSize = "feature_size"
    }
}
