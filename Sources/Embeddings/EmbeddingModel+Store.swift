import Foundation
import KnowledgeStore

extension KnowledgeStore {
    /// Saves a trained embedding model under `name` (models + embeddings tables), with its config and sha256.
    public func save(_ model: EmbeddingModel, name: String) throws -> StoredModel {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let config = String(decoding: try encoder.encode(model.config), as: UTF8.self)
        let entityWidth = model.config.entityWidth, relationWidth = model.config.relationWidth
        let entities = model.entityNames.enumerated().map { index, entity in
            NamedVector(name: entity, bytes: EmbeddingModel.littleEndianBytes(
                of: Array(model.entityVectors[(index * entityWidth)..<((index + 1) * entityWidth)])))
        }
        let relations = model.relationNames.enumerated().map { index, relation in
            NamedVector(name: relation, bytes: EmbeddingModel.littleEndianBytes(
                of: Array(model.relationVectors[(index * relationWidth)..<((index + 1) * relationWidth)])))
        }
        return try saveModel(name: name, kind: model.config.model.rawValue, config: config, entities: entities, relations: relations)
    }

    /// Loads the embedding model named `name`, or the newest embedding model when `name` is nil.
    public func embeddingModel(named name: String? = nil) throws -> (StoredModel, EmbeddingModel) {
        let kinds = Set(EmbeddingModelKind.allCases.map(\.rawValue))
        guard let stored = try models().first(where: { kinds.contains($0.kind) && (name == nil || $0.name == name) }) else {
            throw EmbeddingModelError(message: name.map { "no embedding model named '\($0)' in \(path)" }
                ?? "no embedding model in \(path): train one with `kgfuse embed --model rotate`")
        }
        let config = try JSONDecoder().decode(EmbeddingConfig.self, from: Data(stored.config.utf8))
        let entities = try vectors(of: stored, role: "entity")
        let relations = try vectors(of: stored, role: "relation")
        let model = try EmbeddingModel(
            config: config, entityNames: entities.map(\.name), relationNames: relations.map(\.name),
            entityVectorBytes: entities.flatMap(\.bytes), relationVectorBytes: relations.flatMap(\.bytes))
        return (stored, model)
    }
}

extension TripleDataset {
    /// The store's entity-graph view as a dataset, split deterministically (80/10/10 by default) with `seed`.
    public init(entityGraphOf store: KnowledgeStore, graphIRI: String? = nil, validationFraction: Double = 0.1,
                testFraction: Double = 0.1, seed: UInt64 = 0) throws {
        let edges = try store.entityGraph(graphIRI: graphIRI)
        try self.init(triples: edges.map { ($0.head, $0.relation, $0.tail) },
                      validationFraction: validationFraction, testFraction: testFraction, seed: seed)
    }
}
