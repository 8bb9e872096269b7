import Encoders
import Foundation
import Testing

@Suite("all-MiniLM-L6-v2 sentence encoder")
struct SentenceEncoderTests {
    @Test("Every embedding component is within 1e-4 of the sentence-transformers reference")
    func matchesReference() throws {
        let reference = try SharedFixtures.decode(MiniLMReference.self, from: SharedFixtures.miniLMReference)
        let encoder = try SharedFixtures.miniLM()
        #expect(encoder.dimension == 384)
        let embeddings = try encoder.encode(reference.sentences)
        #expect(embeddings.count == 5)
        for (index, embedding) in embeddings.enumerated() {
            #expect(embedding.count == 384)
            let error = zip(embedding, reference.embeddings[index]).map { abs($0 - $1) }.max() ?? .nan
            #expect(error < 1e-4, "sentence \(index): max |Δ| = \(error)")
            let norm = embedding.reduce(0) { $0 + $1 * $1 }.squareRoot()
            #expect(abs(norm - 1) < 1e-5)
        }
        for row in 0..<5 {
            for column in 0..<5 {
                let cosine = zip(embeddings[row], embeddings[column]).reduce(0) { $0 + $1.0 * $1.1 }
                #expect(abs(cosine - reference.pairwise_cosine[row][column]) < 1e-4)
            }
        }
    }

    @Test("A batch of sentences of different lengths gives the same vectors as each alone")
    func batchedEqualsSingle() throws {
        let reference = try SharedFixtures.decode(MiniLMReference.self, from: SharedFixtures.miniLMReference)
        let encoder = try SharedFixtures.miniLM()
        let sentences = reference.sentences + ["Short.", reference.sentences[0]]
        let batched = try encoder.encode(sentences)
        for (index, sentence) in sentences.enumerated() {
            let alone = try encoder.encode(sentence)
            let difference = zip(batched[index], alone).map { abs($0 - $1) }.max() ?? .nan
            #expect(difference < 1e-5, "sentence \(index): max |Δ| = \(difference)")
        }
    }

    @Test("A batch split over several forward passes gives the same vectors")
    func splitPasses() throws {
        let reference = try SharedFixtures.decode(MiniLMReference.self, from: SharedFixtures.miniLMReference)
        let encoder = try SharedFixtures.miniLM()
        let small = SentenceEncoder(tokenizer: encoder.tokenizer, model: encoder.model, tokensPerPass: 20)
        let split = try small.encode(reference.sentences)
        for (index, embedding) in split.enumerated() {
            let error = zip(embedding, reference.embeddings[index]).map { abs($0 - $1) }.max() ?? .nan
            #expect(error < 1e-4)
        }
    }

    @Test("An input over 256 tokens is truncated: its embedding equals that of its first 254 pieces")
    func truncation() throws {
        let encoder = try SharedFixtures.miniLM()
        let words = (0..<300).map { ["alpha", "beta", "gamma", "delta", "river", "stone"][$0 % 6] }
        let long = words.joined(separator: " ")
        let pieces = encoder.tokenizer.wordPieceIds(long)
        #expect(pieces.count == 300)
        let first254 = words.prefix(254).joined(separator: " ")
        #expect(encoder.tokenizer.encode(first254).ids.count == 256)
        let longEmbedding = try encoder.encode(long)
        let prefixEmbedding = try encoder.encode(first254)
        let difference = zip(longEmbedding, prefixEmbedding).map { abs($0 - $1) }.max() ?? .nan
        #expect(difference < 1e-6)
        // And the vector differs from that of a shorter prefix, so the comparison is not vacuous.
        let shorter = try encoder.encode(words.prefix(200).joined(separator: " "))
        #expect((zip(longEmbedding, shorter).map { abs($0 - $1) }.max() ?? 0) > 1e-3)
    }

    @Test("A missing model gives an error that names scripts/fetch-models.sh")
    func missingModel() {
        let environment = ["KGFUSE_MODELS": "/nonexistent/kgfuse-models"]
        do {
            _ = try ModelLocator.modelDirectory(environment: environment)
            Issue.record("a missing model was found")
        } catch let error as EncoderError {
            #expect(error.description.contains("scripts/fetch-models.sh"))
            #expect(error.file.hasPrefix("/nonexistent/kgfuse-models/all-MiniLM-L6-v2/"))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }
}
