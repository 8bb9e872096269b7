public import Tensor

/// The multimodal Transformer of kgfuse: modality projections, type embeddings, a [CLS] token, KG entity
/// tokens, encoder layers, per-group pooling, a dynamic gate, and classification and retrieval heads.
///
/// Sequence: [CLS] + modality₁ tokens + … + modality_M tokens + K KG slots, each token plus its type embedding
/// (row 0 [CLS], 1…M the modalities, M+1 the KG tokens). Modality m's tokens: LN(x)·W_mᵀ + b_m + P_m with
/// x [b, n_m, f_m] and a learned position table P_m [n_m, D]. Tokens of a missing modality and empty KG slots
/// are masked out of attention (key-padding mask), of pooling and of the gate. See `FusionModel+Forward.swift`.
/// Initialisation is seeded (`FusionConfiguration.seed`); the KG projection has its own generator, so the modality
/// projections, positions, type embeddings, [CLS] and encoder layers start the same with and without KG tokens.
public final class FusionModel: Layer {
    /// The configuration the model was built from.
    public let configuration: FusionConfiguration
    /// Per modality: LayerNorm over the raw features (`modalities.<name>.norm`).
    public let inputNorms: [LayerNorm]
    /// Per modality: the projection f_m → D (`modalities.<name>.projection`).
    public let projections: [Linear]
    /// Per modality: learned positions [n_m, D] (`modalities.<name>.position`).
    public let positions: [Tensor]
    /// Type embeddings [M + 2, D] (`type_embeddings.weight`).
    public let typeEmbeddings: Embedding
    /// The [CLS] token [1, 1, D] (`cls_token`).
    public let classToken: Tensor
    /// The KG token builder (`knowledge.*`), nil without KG tokens.
    public let knowledge: KnowledgeTokenProjection?
    /// The encoder layers (`encoder.layer.N.*`).
    public let layers: [TransformerEncoderLayer]
    /// The final LayerNorm after the encoder (`encoder.norm`), needed by pre-norm stacks.
    public let finalNorm: LayerNorm
    /// The gate (`gate.*`).
    public let gate: DynamicGate
    /// The classification head D → C (`classifier`).
    public let classifier: Linear
    /// The retrieval head D → r (`retrieval`), L2-normalised on output.
    public let retrieval: Linear
    /// True in training mode.
    public var isTraining = true

    /// Builds a freshly initialised model; throws when the configuration is inconsistent.
    public init(configuration: FusionConfiguration) throws {
        if let problem = configuration.validationError() { throw FusionError(message: "configuration: \(problem)") }
        self.configuration = configuration
        var generator = SeededGenerator(seed: configuration.seed)
        let width = configuration.modelDimension
        inputNorms = configuration.modalities.map { LayerNorm(dimension: $0.featureSize) }
        projections = configuration.modalities.map {
            Linear(inputSize: $0.featureSize, outputSize: width, generator: &generator)
        }
        positions = configuration.modalities.map {
            Tensor.normal([$0.tokenCount, width], standardDeviation: 0.02, generator: &generator, requiresGradient: true)
        }
        typeEmbeddings = Embedding(count: configuration.modalities.count + 2, dimension: width, standardDeviation: 0.02,
                                   generator: &generator)
        classToken = Tensor.normal([1, 1, width], standardDeviation: 0.02, generator: &generator, requiresGradient: true)
        // The KG projection draws from its own generator, so the layers after it start exactly as in the same
        // configuration without KG tokens: an ablation then compares the tokens, not two random initialisations.
        var knowledgeGenerator = SeededGenerator(seed: configuration.seed &+ Self.knowledgeSeedOffset)
        knowledge = configuration.usesKnowledgeTokens
            ? KnowledgeTokenProjection(entityCount: configuration.knowledgeEntityCount,
                                       entityDimension: configuration.knowledgeDimension, modelDimension: width,
                                       generator: &knowledgeGenerator)
            : nil
        layers = (0..<configuration.layerCount).map { _ in
            TransformerEncoderLayer(modelDimension: width, headCount: configuration.headCount,
                                    feedForwardDimension: configuration.feedForwardDimension, dropout: configuration.dropout,
                                    activation: configuration.activation == "relu" ? .relu : .gelu,
                                    normPosition: configuration.preNorm ? .pre : .post, layerNormEpsilon: 1e-5,
                                    generator: &generator)
        }
        finalNorm = LayerNorm(dimension: width)
        gate = DynamicGate(groupCount: configuration.gateGroupCount, modelDimension: width,
                           hiddenDimension: configuration.gateHiddenDimension, generator: &generator)
        classifier = Linear(inputSize: width, outputSize: configuration.classCount, generator: &generator)
        retrieval = Linear(inputSize: width, outputSize: configuration.retrievalDimension, generator: &generator)
    }

    /// Added to the configuration's seed for the KG projection's own generator (ASCII "KG").
    public static let knowledgeSeedOffset: UInt64 = 0x4B47

    /// The sub-layers under their checkpoint names.
    public var children: [(String, any Layer)] {
        var list: [(String, any Layer)] = []
        for (index, modality) in configuration.modalities.enumerated() {
            list.append(("modalities.\(modality.name).norm", inputNorms[index]))
            list.append(("modalities.\(modality.name).projection", projections[index]))
        }
        list.append(("type_embeddings", typeEmbeddings))
        if let knowledge { list.append(("knowledge", knowledge)) }
        for (index, layer) in layers.enumerated() { list.append(("encoder.layer.\(index)", layer)) }
        list += [("encoder.norm", finalNorm), ("gate", gate), ("classifier", classifier), ("retrieval", retrieval)]
        return list
    }

    /// Every trainable parameter under its checkpoint name (the frozen KG table is not among them).
    public func namedParameters() -> [(String, Tensor)] {
        var named = childParameters()
        for (index, modality) in configuration.modalities.enumerated() {
            named.append(("modalities.\(modality.name).position", positions[index]))
        }
        named.append(("cls_token", classToken))
        return named
    }
}
