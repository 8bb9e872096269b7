import Embeddings
import Foundation
import KnowledgeStore
import RDF
import Testing
import TestSupport

/// Embeddings trained on the store's entity graph, saved into the store and read back.
@Suite("Embeddings in the knowledge store")
struct EmbeddingStoreTests {
    @Test("the entity graph trains end to end, and the stored model reads back bit for bit")
    func storeRoundTrip() throws {
        let store = try KnowledgeStore(path: TestPaths.temporaryDirectory("kge-store").appendingPathComponent("kg.sqlite").path)
        _ = try store.loadFile(at: TestPaths.sharedFile("ontologies/wine/wine.rdf").path)
        let dataset = try TripleDataset(entityGraphOf: store, seed: 7)
        #expect(dataset.entities.count > 20)
        #expect(dataset.train.count > dataset.test.count)
        // The same seed gives the same split.
        let again = try TripleDataset(entityGraphOf: store, seed: 7)
        #expect(again.test.map { again.names(of: $0).head } == dataset.test.map { dataset.names(of: $0).head })

        var config = EmbeddingConfig.defaults(for: .transE)
        config.epochs = 5
        config.dimension = 16
        config.threads = 1
        let trained = try EmbeddingTrainer(config: config).train(on: dataset, evaluateOnTest: false).model
        let stored = try store.save(trained, name: "transe-wine")
        #expect(stored.sha256.count == 64)
        let (record, loaded) = try store.embeddingModel(named: "transe-wine")
        #expect(record == stored)
        #expect(loaded.entityNames == trained.entityNames)
        #expect(loaded.entityVectors == trained.entityVectors)
        #expect(loaded.relationVectors == trained.relationVectors)
        #expect(loaded.config == trained.config)
        // Entities that are IRIs in the store are linked to their term ids.
        #expect(trained.entityNames.contains("http://www.w3.org/TR/2003/PR-owl-guide-20031209/wine#Zinfandel"))

        // Saving again under the same name replaces the model.
        _ = try store.save(trained, name: "transe-wine")
        #expect(try store.models().filter { $0.name == "transe-wine" }.count == 1)
        #expect(throws: EmbeddingModelError.self) { _ = try store.embeddingModel(named: "missing") }
    }
}
