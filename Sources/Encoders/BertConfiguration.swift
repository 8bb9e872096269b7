import Foundation

/// The hyper-parameters of a BERT encoder, read from a Hugging Face `config.json`.
public struct BertConfiguration: Sendable, Equatable {
    /// Width of every token vector (H): 384 for all-MiniLM-L6-v2.
    public var hiddenSize: Int
    /// Number of encoder layers.
    public var layerCount: Int
    /// Number of attention heads; each has width H / headCount.
    public var headCount: Int
    /// Width of the feed-forward layer (4H usually).
    public var intermediateSize: Int
    /// LayerNorm ε.
    public var layerNormEpsilon: Float
    /// Number of learned position embeddings (the longest input).
    public var maximumPositions: Int
    /// Number of token type (segment) embeddings.
    public var typeVocabularySize: Int
    /// Number of word embeddings.
    public var vocabularySize: Int

    /// A configuration from explicit values.
    public init(
        hiddenSize: Int, layerCount: Int, headCount: Int, intermediateSize: Int, layerNormEpsilon: Float,
        maximumPositions: Int, typeVocabularySize: Int, vocabularySize: Int
    ) {
        self.hiddenSize = hiddenSize
        self.layerCount = layerCount
        self.headCount = headCount
        self.intermediateSize = intermediateSize
        self.layerNormEpsilon = layerNormEpsilon
        self.maximumPositions = maximumPositions
        self.typeVocabularySize = typeVocabularySize
        self.vocabularySize = vocabularySize
    }

    /// Width of one attention head, H / headCount.
    public var headSize: Int { hiddenSize / headCount }

    private struct File: Decodable {
        var hidden_size: Int?
        var num_hidden_layers: Int?
        var num_attention_heads: Int?
        var intermediate_size: Int?
        var layer_norm_eps: Double?
        var max_position_embeddings: Int?
        var type_vocab_size: Int?
        var vocab_size: Int?
        var hidden_act: String?
        var position_embedding_type: String?
    }

    /// Reads `config.json` at `path`.
    ///
    /// - Throws: ``EncoderError`` naming the file and field when it is missing, not JSON, lacks a field, has an
    ///   activation other than `gelu` (erf), a position embedding other than `absolute`, or H not divisible by the
    ///   head count.
    public init(path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw EncoderError(file: path, message: "cannot read the model configuration")
        }
        let file: File
        do {
            file = try JSONDecoder().decode(File.self, from: data)
        } catch {
            throw EncoderError(file: path, message: "is not a valid config.json: \(error)")
        }
        func required<Value>(_ value: Value?, _ field: String) throws -> Value {
            guard let value else { throw EncoderError(file: path, field: field, message: "missing") }
            return value
        }
        self.init(
            hiddenSize: try required(file.hidden_size, "hidden_size"),
            layerCount: try required(file.num_hidden_layers, "num_hidden_layers"),
            headCount: try required(file.num_attention_heads, "num_attention_heads"),
            intermediateSize: try required(file.intermediate_size, "intermediate_size"),
            layerNormEpsilon: Float(file.layer_norm_eps ?? 1e-12),
            maximumPositions: try required(file.max_position_embeddings, "max_position_embeddings"),
            typeVocabularySize: file.type_vocab_size ?? 2,
            vocabularySize: try required(file.vocab_size, "vocab_size"))
        let activation = file.hidden_act ?? "gelu"
        guard activation == "gelu" else {
            throw EncoderError(
                file: path, field: "hidden_act", message: "\"\(activation)\" is not supported (only gelu with erf)")
        }
        if let positions = file.position_embedding_type, positions != "absolute" {
            throw EncoderError(
                file: path, field: "position_embedding_type",
                message: "\"\(positions)\" is not supported (only absolute)")
        }
        guard hiddenSize > 0, headCount > 0, hiddenSize % headCount == 0 else {
            throw EncoderError(
                file: path, field: "num_attention_heads",
                message: "hidden_size \(hiddenSize) is not a multiple of \(headCount) heads")
        }
        guard hiddenSize % 8 == 0 else {
            throw EncoderError(file: path, field: "hidden_size", message: "must be a multiple of 8")
        }
    }
}
