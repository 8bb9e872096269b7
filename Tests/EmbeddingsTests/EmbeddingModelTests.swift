import Embeddings
import Foundation
import Testing

@Suite("EmbeddingModel")
struct EmbeddingModelTests {
    @Test("vectors round-trip through little-endian Float32 bytes and the config through JSON")
    func serialization() throws {
        let config = EmbeddingConfig.defaults(for: .complEx)
        let values: [Float] = [1, -2.5, .pi, 0, -0.0, 3.4e38, .leastNonzeroMagnitude]
        let bytes = EmbeddingModel.littleEndianBytes(of: values)
        #expect(bytes.count == 28)
        #expect(Array(bytes[0..<4]) == [0x00, 0x00, 0x80, 0x3F])  // 1.0f little-endian
        #expect(try EmbeddingModel.floats(fromLittleEndian: bytes).map(\.bitPattern) == values.map(\.bitPattern))
        #expect(throws: EmbeddingModelError.self) { try EmbeddingModel.floats(fromLittleEndian: [1, 2, 3]) }

        let json = try JSONEncoder().encode(config)
        #expect(try JSONDecoder().decode(EmbeddingConfig.self, from: json) == config)
        #expect(String(decoding: json, as: UTF8.self).contains("\"model\":\"complex\""))
        // Settings missing from stored JSON take the model's defaults; a missing model is an error.
        let partial = try JSONDecoder().decode(EmbeddingConfig.self, from: Data(#"{"model":"rotate","epochs":3}"#.utf8))
        var expected = EmbeddingConfig.defaults(for: .rotate)
        expected.epochs = 3
        #expect(partial == expected)
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(EmbeddingConfig.self, from: Data(#"{"epochs":3}"#.utf8))
        }

        var small = config
        small.dimension = 1
        let model = try EmbeddingModel(
            config: small, entityNames: ["a", "b"], relationNames: ["r"],
            entityVectors: [1, 2, 3, 4], relationVectors: [0.5, -0.5])
        let restored = try EmbeddingModel(
            config: small, entityNames: ["a", "b"], relationNames: ["r"],
            entityVectorBytes: model.entityVectorBytes, relationVectorBytes: model.relationVectorBytes)
        #expect(restored.entityVectors == model.entityVectors && restored.relationVectors == model.relationVectors)
        #expect(throws: EmbeddingModelError.self) {
            try EmbeddingModel(config: small, entityNames: ["a", "b"], relationNames: ["r"],
                               entityVectors: [1, 2, 3], relationVectors: [0.5, -0.5])
        }
        #expect(throws: EmbeddingModelError.self) {
            try EmbeddingModel(config: small, entityNames: ["a", "a"], relationNames: ["r"],
                               entityVectors: [1, 2, 3, 4], relationVectors: [0.5, -0.5])
        }
    }

    @Test("nearest neighbours follow negative distance for TransE and cosine for DistMult")
    func neighbors() throws {
        let names = ["origin", "near", "far", "opposite"]
        let vectors: [Float] = [0, 0, 1, 0.5, 3, 3, -1, -1]
        let transE = try EmbeddingModel(
            config: EmbeddingConfig(model: .transE, dimension: 2, norm: 2), entityNames: names, relationNames: ["r"],
            entityVectors: vectors, relationVectors: [0, 0])
        let fromOrigin = try #require(transE.nearestNeighbors(of: "origin", k: 3))
        #expect(fromOrigin.map(\.entity) == ["near", "opposite", "far"])
        #expect(abs(fromOrigin[0].similarity + (1.25 as Float).squareRoot()) < 1e-6)
        #expect(transE.nearestNeighbors(of: "near", k: 1)?.first?.entity == "origin")
        #expect(transE.nearestNeighbors(of: "nobody", k: 1) == nil)

        let distMult = try EmbeddingModel(
            config: EmbeddingConfig(model: .distMult, dimension: 2), entityNames: names, relationNames: ["r"],
            entityVectors: vectors, relationVectors: [1, 1])
        // Cosine from "far" (direction (1, 1)): "near" ≈ 0.949, "origin" 0 (zero vector), "opposite" −1.
        let fromFar = try #require(distMult.nearestNeighbors(of: "far", k: 3))
        #expect(fromFar.map(\.entity) == ["near", "origin", "opposite"])
        #expect(abs(fromFar[2].similarity + 1) < 1e-6)
        #expect(abs(try #require(distMult.similarity(between: "far", and: "near")) - 1.5 / ((2 * 1.25) as Float).squareRoot()) < 1e-6)
    }
}
