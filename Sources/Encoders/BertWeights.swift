import Tensor

/// The parameters of one BERT encoder layer, laid out for the feature-major forward pass: every Linear weight is
/// PyTorch's [out, in], packed once for OpenBLAS's kernel (``PackedWeight``), so that `yᵀ += W · xᵀ` repacks only
/// the activations.
struct BertLayerWeights: Sendable {
    /// Query, key and value weights stacked: [3H, H] (rows 0..<H query, H..<2H key, 2H..<3H value).
    var queryKeyValueWeight: PackedWeight
    /// [3H]
    var queryKeyValueBias: FloatStorage
    /// Attention output projection [H, H] ([out, in]) and bias [H].
    var attentionOutputWeight: PackedWeight
    var attentionOutputBias: FloatStorage
    /// LayerNorm after attention: gamma, beta [H].
    var attentionNormGamma: FloatStorage
    var attentionNormBeta: FloatStorage
    /// Feed-forward up projection [I, H] and bias [I].
    var intermediateWeight: PackedWeight
    var intermediateBias: FloatStorage
    /// Feed-forward down projection [H, I] and bias [H].
    var outputWeight: PackedWeight
    var outputBias: FloatStorage
    /// LayerNorm after the feed-forward block: gamma, beta [H].
    var outputNormGamma: FloatStorage
    var outputNormBeta: FloatStorage
}

/// All parameters of a BERT model (embeddings, layers, optional pooler).
struct BertWeights: Sendable {
    /// [V, H]
    var wordEmbeddings: FloatStorage
    /// [P, H]
    var positionEmbeddings: FloatStorage
    /// [T, H]
    var typeEmbeddings: FloatStorage
    /// [H]
    var embeddingNormGamma: FloatStorage
    var embeddingNormBeta: FloatStorage
    var layers: [BertLayerWeights]
    /// Pooler dense weight [H, H] ([out, in]) and bias [H], when the checkpoint has them.
    var poolerWeight: FloatStorage?
    var poolerBias: FloatStorage?

    /// Reads Hugging Face BertModel tensor names (`embeddings.word_embeddings.weight`,
    /// `encoder.layer.N.attention.self.query.weight`, ...), with or without a `bert.` prefix; LayerNorm parameters
    /// may be called `weight`/`bias` or `gamma`/`beta`.
    init(file: SafeTensorsFile, configuration: BertConfiguration) throws {
        let hidden = configuration.hiddenSize
        let intermediate = configuration.intermediateSize
        let prefix = file.tensors["bert.embeddings.word_embeddings.weight"] != nil ? "bert." : ""

        func read(_ name: String, _ shape: [Int]) throws -> [Float] {
            do {
                return try file.floats(prefix + name, shape: shape)
            } catch let error as SafeTensorsError {
                throw EncoderError(file: error.file, field: error.field, message: error.message)
            }
        }
        func vector(_ name: String, _ size: Int) throws -> FloatStorage {
            FloatStorage(try read(name, [size]))
        }
        /// A Linear weight, [out, in] as PyTorch stores it.
        func linear(_ name: String, out: Int, in inputs: Int) throws -> FloatStorage {
            FloatStorage(try read(name, [out, inputs]))
        }
        func normParameters(_ base: String) throws -> (FloatStorage, FloatStorage) {
            if file.tensors[prefix + base + ".weight"] != nil {
                return (try vector(base + ".weight", hidden), try vector(base + ".bias", hidden))
            }
            return (try vector(base + ".gamma", hidden), try vector(base + ".beta", hidden))
        }

        wordEmbeddings = FloatStorage(
            try read("embeddings.word_embeddings.weight", [configuration.vocabularySize, hidden]))
        positionEmbeddings = FloatStorage(
            try read("embeddings.position_embeddings.weight", [configuration.maximumPositions, hidden]))
        typeEmbeddings = FloatStorage(
            try read("embeddings.token_type_embeddings.weight", [configuration.typeVocabularySize, hidden]))
        (embeddingNormGamma, embeddingNormBeta) = try normParameters("embeddings.LayerNorm")

        var layers: [BertLayerWeights] = []
        for index in 0..<configuration.layerCount {
            let base = "encoder.layer.\(index)."
            let query = try read(base + "attention.self.query.weight", [hidden, hidden])
            let key = try read(base + "attention.self.key.weight", [hidden, hidden])
            let value = try read(base + "attention.self.value.weight", [hidden, hidden])
            let packedWeight = PackedWeight(
                weight: query + key + value, outputs: 3 * hidden, inputs: hidden)
            let packedBias = FloatStorage(
                try read(base + "attention.self.query.bias", [hidden])
                    + read(base + "attention.self.key.bias", [hidden])
                    + read(base + "attention.self.value.bias", [hidden]))
            func packed(_ name: String, out: Int, in inputs: Int) throws -> PackedWeight {
                PackedWeight(weight: try read(name, [out, inputs]), outputs: out, inputs: inputs)
            }
            let attentionOutput = try packed(base + "attention.output.dense.weight", out: hidden, in: hidden)
            let up = try packed(base + "intermediate.dense.weight", out: intermediate, in: hidden)
            let down = try packed(base + "output.dense.weight", out: hidden, in: intermediate)
            let (attentionGamma, attentionBeta) = try normParameters(base + "attention.output.LayerNorm")
            let (outputGamma, outputBeta) = try normParameters(base + "output.LayerNorm")
            layers.append(
                BertLayerWeights(
                    queryKeyValueWeight: packedWeight,
                    queryKeyValueBias: packedBias,
                    attentionOutputWeight: attentionOutput,
                    attentionOutputBias: try vector(base + "attention.output.dense.bias", hidden),
                    attentionNormGamma: attentionGamma,
                    attentionNormBeta: attentionBeta,
                    intermediateWeight: up,
                    intermediateBias: try vector(base + "intermediate.dense.bias", intermediate),
                    outputWeight: down,
                    outputBias: try vector(base + "output.dense.bias", hidden),
                    outputNormGamma: outputGamma,
                    outputNormBeta: outputBeta))
        }
        self.layers = layers

        if file.tensors[prefix + "pooler.dense.weight"] != nil {
            poolerWeight = try linear("pooler.dense.weight", out: hidden, in: hidden)
            poolerBias = try vector("pooler.dense.bias", hidden)
        } else {
            poolerWeight = nil
            poolerBias = nil
        }
    }
}
