/// Which knowledge-graph embedding model to train.
public enum EmbeddingModelKind: String, Codable, Sendable, CaseIterable {
    /// TransE (Bordes et al. 2013): s(h, r, t) = −‖h + r − t‖_p, real vectors of `dimension` floats.
    case transE = "transe"
    /// DistMult (Yang et al. 2015): s(h, r, t) = ⟨h, r, t⟩ = Σ_i h_i r_i t_i, real vectors of `dimension` floats.
    case distMult = "distmult"
    /// ComplEx (Trouillon et al. 2016): s(h, r, t) = Re(Σ_i h_i r_i conj(t_i)), `dimension` complex numbers.
    case complEx = "complex"
    /// RotatE (Sun et al. 2019): s(h, r, t) = −‖h ∘ r − t‖ with r_i = e^{iθ_i}, `dimension` complex numbers.
    case rotate = "rotate"

    /// True for the models whose score is a negative distance (TransE, RotatE); false for the bilinear ones.
    public var isDistanceModel: Bool { self == .transE || self == .rotate }

    /// True for the models whose vectors are complex (ComplEx, RotatE).
    public var isComplex: Bool { self == .complEx || self == .rotate }
}

/// The training loss.
public enum EmbeddingLoss: String, Codable, Sendable {
    /// Self-adversarial negative sampling (Sun et al. 2019) with margin γ and temperature α:
    /// L = ½[−log σ(γ + s(pos)) − Σ_i p_i log σ(−γ − s(neg_i))], p = softmax(α·s(neg)) held constant.
    case selfAdversarial = "self-adversarial"
    /// 1-N scoring: for each training triple, softmax cross-entropy of the true tail over all entities for
    /// (h, r, ?) and of the true head over all entities for (?, r, t). No negatives are sampled.
    case crossEntropy = "cross-entropy"
}

/// How a negative triple is made from a positive one.
public enum CorruptionScheme: String, Codable, Sendable {
    /// Replace the head or the tail with probability ½ each.
    case uniform
    /// Bernoulli (Wang et al. 2014): replace the head with probability tph / (tph + hpt) of the relation, where
    /// tph is the mean number of tails per head and hpt the mean number of heads per tail in train.
    case bernoulli
}

/// Every setting of one training run. Codable, so it can be stored as JSON beside the vectors.
public struct EmbeddingConfig: Codable, Sendable, Equatable {
    /// The model.
    public var model: EmbeddingModelKind
    /// Embedding size: real floats for TransE and DistMult, complex numbers for ComplEx and RotatE.
    public var dimension: Int
    /// The p of the distance for TransE (‖·‖_1 or ‖·‖_2) and RotatE (1: Σ_i |z_i| as Sun et al.; 2: √Σ_i |z_i|²).
    public var norm: Int
    /// Passes over the training triples.
    public var epochs: Int
    /// Positive triples per optimiser step.
    public var batchSize: Int
    /// Negatives per positive triple (self-adversarial loss only).
    public var negatives: Int
    /// Adam step size.
    public var learningRate: Float
    /// Margin γ of the self-adversarial loss.
    public var margin: Float
    /// Adversarial temperature α; 0 weighs every negative equally (1/negatives).
    public var adversarialTemperature: Float
    /// The loss.
    public var loss: EmbeddingLoss
    /// Negative corruption scheme.
    public var corruption: CorruptionScheme
    /// Weight λ of the N3 regulariser (Lacroix et al. 2018) on the batch's h, r, t; 0 turns it off.
    public var regularizationWeight: Float
    /// Half-width of the uniform initialisation; nil picks the model's default ((γ + 2)/dimension for distance
    /// models as Sun et al., 0.1 for bilinear ones).
    public var initializationRange: Float?
    /// Adam updates only the rows that received a gradient in the step (lazy Adam) when true; all rows when false.
    public var lazyAdam: Bool
    /// Evaluate filtered MRR on the validation triples every this many epochs and keep the parameters of the best
    /// evaluation (model selection on valid); 0 turns it off and keeps the last epoch's parameters.
    public var validationInterval: Int
    /// Worker threads for training and evaluation. Results are deterministic for a given seed and thread count.
    public var threads: Int
    /// Seed of every random choice (initialisation, shuffling, negatives).
    public var seed: UInt64

    /// Creates a configuration; unspecified settings take the defaults of RotatE's recipe.
    public init(
        model: EmbeddingModelKind, dimension: Int = 128, norm: Int = 1, epochs: Int = 100, batchSize: Int = 256,
        negatives: Int = 128, learningRate: Float = 0.005, margin: Float = 9, adversarialTemperature: Float = 1,
        loss: EmbeddingLoss = .selfAdversarial, corruption: CorruptionScheme = .uniform,
        regularizationWeight: Float = 0, initializationRange: Float? = nil, lazyAdam: Bool = false,
        validationInterval: Int = 0, threads: Int = 2, seed: UInt64 = 42
    ) {
        self.model = model
        self.dimension = dimension
        self.norm = norm
        self.epochs = epochs
        self.batchSize = batchSize
        self.negatives = negatives
        self.learningRate = learningRate
        self.margin = margin
        self.adversarialTemperature = adversarialTemperature
        self.loss = loss
        self.corruption = corruption
        self.regularizationWeight = regularizationWeight
        self.initializationRange = initializationRange
        self.lazyAdam = lazyAdam
        self.validationInterval = validationInterval
        self.threads = threads
        self.seed = seed
    }

    /// Floats per entity vector: `dimension`, or 2·`dimension` for complex models (real parts, then imaginary).
    public var entityWidth: Int { model.isComplex ? 2 * dimension : dimension }

    /// Floats per relation vector: `dimension` (RotatE: phases), or 2·`dimension` for ComplEx.
    public var relationWidth: Int { model == .complEx ? 2 * dimension : dimension }

    /// The uniform initialisation half-width actually used.
    public var effectiveInitializationRange: Float {
        if let initializationRange { return initializationRange }
        return model.isDistanceModel ? (margin + 2) / Float(dimension) : 0.1
    }

    /// Checks that every setting is usable; returns a message naming the first one that is not.
    public func validationProblem() -> String? {
        if dimension < 1 { return "dimension must be ≥ 1 (got \(dimension))" }
        if epochs < 0 { return "epochs must be ≥ 0 (got \(epochs))" }
        if batchSize < 1 { return "batchSize must be ≥ 1 (got \(batchSize))" }
        if loss == .selfAdversarial && negatives < 1 { return "negatives must be ≥ 1 (got \(negatives))" }
        if !(learningRate > 0) { return "learningRate must be > 0 (got \(learningRate))" }
        if model.isDistanceModel && norm != 1 && norm != 2 { return "norm must be 1 or 2 (got \(norm))" }
        if validationInterval < 0 { return "validationInterval must be ≥ 0 (got \(validationInterval))" }
        if threads < 1 { return "threads must be ≥ 1 (got \(threads))" }
        if regularizationWeight < 0 { return "regularizationWeight must be ≥ 0 (got \(regularizationWeight))" }
        if let range = initializationRange, !(range > 0) { return "initializationRange must be > 0 (got \(range))" }
        return nil
    }
}

extension EmbeddingConfig {
    /// Decodes a config, taking the defaults of `defaults(for: model)` for any setting the JSON leaves out
    /// (so configs stored before a setting existed still load). `model` is required.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let model = try container.decode(EmbeddingModelKind.self, forKey: .model)
        let base = EmbeddingConfig.defaults(for: model)
        self.init(
            model: model,
            dimension: try container.decodeIfPresent(Int.self, forKey: .dimension) ?? base.dimension,
            norm: try container.decodeIfPresent(Int.self, forKey: .norm) ?? base.norm,
            epochs: try container.decodeIfPresent(Int.self, forKey: .epochs) ?? base.epochs,
            batchSize: try container.decodeIfPresent(Int.self, forKey: .batchSize) ?? base.batchSize,
            negatives: try container.decodeIfPresent(Int.self, forKey: .negatives) ?? base.negatives,
            learningRate: try container.decodeIfPresent(Float.self, forKey: .learningRate) ?? base.learningRate,
            margin: try container.decodeIfPresent(Float.self, forKey: .margin) ?? base.margin,
            adversarialTemperature: try container.decodeIfPresent(Float.self, forKey: .adversarialTemperature)
                ?? base.adversarialTemperature,
            loss: try container.decodeIfPresent(EmbeddingLoss.self, forKey: .loss) ?? base.loss,
            corruption: try container.decodeIfPresent(CorruptionScheme.self, forKey: .corruption) ?? base.corruption,
            regularizationWeight: try container.decodeIfPresent(Float.self, forKey: .regularizationWeight)
                ?? base.regularizationWeight,
            initializationRange: try container.decodeIfPresent(Float.self, forKey: .initializationRange)
                ?? base.initializationRange,
            lazyAdam: try container.decodeIfPresent(Bool.self, forKey: .lazyAdam) ?? base.lazyAdam,
            validationInterval: try container.decodeIfPresent(Int.self, forKey: .validationInterval)
                ?? base.validationInterval,
            threads: try container.decodeIfPresent(Int.self, forKey: .threads) ?? base.threads,
            seed: try container.decodeIfPresent(UInt64.self, forKey: .seed) ?? base.seed)
    }
}
