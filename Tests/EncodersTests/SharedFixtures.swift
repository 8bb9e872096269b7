import Encoders
import Foundation
import TestSupport

/// Locates the shared fixtures (`../shared` beside the repository root) and the model cache for the tests.
enum SharedFixtures {
    /// The repository root (TestSupport finds it).
    static let repositoryRoot = TestPaths.repositoryRoot

    /// `../shared` relative to the repository root.
    static let shared = repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared")

    /// The tiny random BERT checkpoint folder.
    static let tinyBert = shared.appendingPathComponent("models/hf_tiny/bert").path

    /// The reference embeddings of all-MiniLM-L6-v2.
    static let miniLMReference = shared.appendingPathComponent("models/minilm_reference.json").path

    /// Decodes the JSON file at `path`.
    static func decode<Value: Decodable>(_ type: Value.Type, from path: String) throws -> Value {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return try JSONDecoder().decode(type, from: data)
    }

    /// The all-MiniLM-L6-v2 encoder from the cache, loaded once; throws (naming scripts/fetch-models.sh) when the
    /// model has not been fetched.
    static func miniLM() throws -> SentenceEncoder {
        try miniLMResult.get()
    }

    private static let miniLMResult: Result<SentenceEncoder, any Error> = Result { try SentenceEncoder.allMiniLML6V2() }
}

/// The contents of minilm_reference.json.
struct MiniLMReference: Decodable {
    var sentences: [String]
    var input_ids: [[Int32]]
    var tokens: [[String]]
    var embeddings: [[Float]]
    var pairwise_cosine: [[Float]]
}

/// The contents of hf_tiny/bert/reference.json used by the tests.
struct TinyBertReference: Decodable {
    struct Inputs: Decodable {
        var input_ids: [[Int32]]
        var token_type_ids: [[Int32]]
        var attention_mask: [[Int32]]
    }
    struct Output: Decodable {
        var shape: [Int]
        var values: NestedFloats
    }
    struct Outputs: Decodable {
        var last_hidden_state: Output
        var pooler_output: Output
    }
    struct TensorEntry: Decodable {
        var name: String
        var dtype: String
        var shape: [Int]
    }
    var inputs: Inputs
    var outputs: Outputs
    var safetensors_tensors: [TensorEntry]
    var safetensors_metadata: [String: String]
    var model_safetensors_sha256: String
}

/// Nested JSON arrays of numbers, flattened in row-major order.
struct NestedFloats: Decodable {
    var flat: [Float]

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Float.self) {
            flat = [number]
        } else {
            flat = try container.decode([NestedFloats].self).flatMap(\.flat)
        }
    }
}
