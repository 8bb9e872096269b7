import Foundation

/// A sentence-transformers text encoder: BERT tokenizer, ``BertModel``, mean pooling, L2 normalisation.
///
/// embedding(s) = m / max(‖m‖₂, 1e-12) with m = (1/L) Σ_t h_t over the L tokens of s (all attended), h = last
/// hidden state [L, H]; the output has H components (384 for all-MiniLM-L6-v2).
public final class SentenceEncoder: Sendable {
    /// The tokenizer (truncates to `tokenizer.maximumLength` tokens).
    public let tokenizer: BertTokenizer
    /// The encoder.
    public let model: BertModel
    /// The most tokens run through the model in one forward pass (longer batches are split).
    public let tokensPerPass: Int

    /// An encoder from a tokenizer and a model.
    public init(tokenizer: BertTokenizer, model: BertModel, tokensPerPass: Int = 8192) {
        self.tokenizer = tokenizer
        self.model = model
        self.tokensPerPass = tokensPerPass
    }

    /// Loads `config.json`, `model.safetensors` and `vocab.txt` from `directory`; `maximumLength` tokens including
    /// `[CLS]` and `[SEP]` (sentence-transformers' max_seq_length, 256 for all-MiniLM-L6-v2).
    public convenience init(directory: String, maximumLength: Int = 256, lowercase: Bool = true) throws {
        let model = try BertModel(directory: directory)
        let vocabulary = try WordPieceVocabulary(path: directory + "/vocab.txt")
        let tokenizer = try BertTokenizer(
            vocabulary: vocabulary, lowercase: lowercase,
            maximumLength: min(maximumLength, model.configuration.maximumPositions))
        self.init(tokenizer: tokenizer, model: model)
    }

    /// all-MiniLM-L6-v2 from the model cache (see ``ModelLocator``).
    ///
    /// - Throws: ``EncoderError`` telling to run `scripts/fetch-models.sh` when the model is not there.
    public static func allMiniLML6V2() throws -> SentenceEncoder {
        try SentenceEncoder(directory: try ModelLocator.modelDirectory(named: ModelLocator.miniLMName))
    }

    /// Width of an embedding (H).
    public var dimension: Int { model.configuration.hiddenSize }

    /// The unit-length embeddings of `sentences`: one [H] vector each, in order.
    public func encode(_ sentences: [String]) throws -> [[Float]] {
        try encode(encodings: sentences.map { tokenizer.encode($0) })
    }

    /// The unit-length embedding of one sentence, [H].
    public func encode(_ sentence: String) throws -> [Float] {
        try encode([sentence])[0]
    }

    /// The unit-length embeddings of already tokenized inputs (one [H] vector each, in order).
    public func encode(encodings: [BertEncoding]) throws -> [[Float]] {
        var embeddings: [[Float]] = []
        embeddings.reserveCapacity(encodings.count)
        var start = 0
        while start < encodings.count {
            // A pass holds at least one sequence and at most tokensPerPass tokens.
            var end = start
            var tokens = 0
            while end < encodings.count, end == start || tokens + encodings[end].ids.count <= tokensPerPass {
                tokens += encodings[end].ids.count
                end += 1
            }
            let inputs = encodings[start..<end].map(BertInput.init)
            embeddings += try model.forward(inputs) { hidden in meanPool(inputs, hidden: hidden) }
            start = end
        }
        return embeddings
    }

    /// Mean over each sequence's rows of `hidden` [Σ L_s, H], then L2 normalisation.
    private func meanPool(_ inputs: [BertInput], hidden: UnsafePointer<Float>) -> [[Float]] {
        let width = dimension
        var offset = 0
        return inputs.map { input in
            var sum = [Float](repeating: 0, count: width)
            for row in offset..<offset + input.ids.count {
                let line = hidden + row * width
                for column in 0..<width { sum[column] += line[column] }
            }
            offset += input.ids.count
            let count = Float(input.ids.count)
            var squares: Float = 0
            for column in 0..<width {
                sum[column] /= count
                squares += sum[column] * sum[column]
            }
            let norm = max(squares.squareRoot(), 1e-12)
            return sum.map { $0 / norm }
        }
    }
}
