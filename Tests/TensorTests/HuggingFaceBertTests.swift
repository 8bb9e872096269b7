import Foundation
import Testing
import Tensor

/// The layers reproduce Hugging Face's BertModel: the tiny random checkpoint in `shared/models/hf_tiny/bert`
/// loads by name into Embedding, LayerNorm, TransformerEncoder and Linear, and the forward pass matches the
/// stored PyTorch outputs within the suggested atol 1e-4.
@Suite("Hugging Face BERT compatibility")
struct HuggingFaceBertTests {
    /// BertModel assembled from the module's layers, with Hugging Face's parameter names.
    final class TinyBert: Layer {
        let words: Embedding, positions: Embedding, tokenTypes: Embedding
        let embeddingNorm: LayerNorm
        let encoder: TransformerEncoder
        let pooler: Linear
        var isTraining = true

        init(vocabulary: Int, width: Int, layers: Int, heads: Int, feedForward: Int, maximumPositions: Int) {
            var generator = SeededGenerator(seed: 1)
            words = Embedding(count: vocabulary, dimension: width, generator: &generator)
            positions = Embedding(count: maximumPositions, dimension: width, generator: &generator)
            tokenTypes = Embedding(count: 2, dimension: width, generator: &generator)
            embeddingNorm = LayerNorm(dimension: width, epsilon: 1e-12)
            encoder = TransformerEncoder(layers: (0..<layers).map { _ in
                TransformerEncoderLayer(modelDimension: width, headCount: heads, feedForwardDimension: feedForward,
                                        dropout: 0.1, activation: .gelu, normPosition: .post, layerNormEpsilon: 1e-12,
                                        generator: &generator)
            })
            pooler = Linear(inputSize: width, outputSize: width, generator: &generator)
        }

        var children: [(String, any Layer)] {
            [("embeddings.word_embeddings", words), ("embeddings.position_embeddings", positions),
             ("embeddings.token_type_embeddings", tokenTypes), ("embeddings.LayerNorm", embeddingNorm),
             ("encoder", encoder), ("pooler.dense", pooler)]
        }

        func namedParameters() -> [(String, Tensor)] { childParameters() }

        /// (last_hidden_state [b, s, D], pooler_output [b, D]).
        func callAsFunction(ids: [[Int]], tokenTypeIDs: [[Int]], attentionMask: [[Int]]) -> (Tensor, Tensor) {
            let (batch, length) = (ids.count, ids[0].count)
            let embedded = words(ids.flatMap { $0 }, shape: [batch, length])
                + positions(Array(0..<length), shape: [length])
                + tokenTypes(tokenTypeIDs.flatMap { $0 }, shape: [batch, length])
            let hidden = encoder(embeddingNorm(embedded), additiveMask: Tensor.additiveKeyPaddingMask(attentionMask))
            let first = hidden.slice(axis: 1, start: 0, length: 1).reshaped([batch, -1])
            return (hidden, pooler(first).tanh())
        }
    }

    let folder = SharedFixtures.directory().appendingPathComponent("models/hf_tiny/bert")

    func reference() throws -> [String: Any] {
        let data = try Data(contentsOf: folder.appendingPathComponent("reference.json"))
        return try JSONSerialization.jsonObject(with: data) as! [String: Any]
    }

    /// Flattens nested JSON number arrays.
    func flatten(_ value: Any) -> [Float] {
        if let number = value as? NSNumber { return [number.floatValue] }
        return (value as! [Any]).flatMap(flatten)
    }

    @Test("every checkpoint tensor loads by name, and the outputs match PyTorch to 1e-4")
    func forwardMatchesReference() throws {
        BLAS.setThreadCount(1)
        let weights = try SharedFixtures.readSafetensors(folder.appendingPathComponent("model.safetensors"))
        #expect(weights.count == 39)
        let model = TinyBert(vocabulary: 30522, width: 32, layers: 2, heads: 4, feedForward: 64, maximumPositions: 512)
        try model.load(weights, allowingUnused: false)
        model.setTraining(false)
        #expect(model.parameterCount == 1_011_360)

        let json = try reference()
        let inputs = json["inputs"] as! [String: Any]
        let outputs = json["outputs"] as! [String: Any]
        let (hidden, pooled) = GradientMode.withoutGradient {
            model(ids: inputs["input_ids"] as! [[Int]], tokenTypeIDs: inputs["token_type_ids"] as! [[Int]],
                  attentionMask: inputs["attention_mask"] as! [[Int]])
        }
        let expectedHidden = outputs["last_hidden_state"] as! [String: Any]
        #expect(hidden.shape == expectedHidden["shape"] as! [Int])
        let hiddenError = zip(hidden.values, flatten(expectedHidden["values"]!)).map { abs($0 - $1) }.max() ?? .infinity
        #expect(hiddenError < 1e-4, "last_hidden_state max |Δ| = \(hiddenError)")
        let expectedPooled = outputs["pooler_output"] as! [String: Any]
        #expect(pooled.shape == expectedPooled["shape"] as! [Int])
        let pooledError = zip(pooled.values, flatten(expectedPooled["values"]!)).map { abs($0 - $1) }.max() ?? .infinity
        #expect(pooledError < 1e-4, "pooler_output max |Δ| = \(pooledError)")
    }

    @Test("a tensor of the wrong shape is refused by name and nothing is changed")
    func wrongShapeIsRefused() throws {
        var weights = try SharedFixtures.readSafetensors(folder.appendingPathComponent("model.safetensors"))
        let model = TinyBert(vocabulary: 30522, width: 32, layers: 2, heads: 4, feedForward: 64, maximumPositions: 512)
        let before = model.encoder.layers[1].intermediate.weight.values
        let name = "encoder.layer.1.output.dense.weight"
        weights[name] = (shape: [64, 32], values: weights[name]!.values)
        #expect(throws: ParameterLoadingError.shapeMismatch(name: name, expected: [32, 64], found: [64, 32])) {
            try model.load(weights)
        }
        #expect(model.encoder.layers[1].intermediate.weight.values == before)
        weights["encoder.layer.1.output.dense.weight"] = nil
        #expect(throws: ParameterLoadingError.missing(name: name)) { try model.load(weights) }
        weights["extra.weight"] = ([1], [0])
        weights[name] = ([32, 64], [Float](repeating: 0, count: 2048))
        #expect(throws: ParameterLoadingError.unused(names: ["extra.weight"])) { try model.load(weights, allowingUnused: false) }
    }
}
