import Foundation
import GRDB
import Hashing
import RDF

/// A trained model recorded in the store.
public struct StoredModel: Sendable, Codable, Equatable {
    /// The model's row id.
    public var id: Int64
    /// Its unique name (e.g. `rotate-hp`).
    public var name: String
    /// What kind of model it is (e.g. `rotate`, `fusion`).
    public var kind: String
    /// Its configuration as JSON.
    public var config: String
    /// sha256 over the config and every vector (or over the checkpoint file).
    public var sha256: String
    /// When it was stored (ISO 8601, UTC).
    public var createdAt: String
}

/// A named vector of a model: an entity or relation embedding.
public struct NamedVector: Sendable {
    /// The entity or relation name (an IRI for models trained on the store).
    public var name: String
    /// Little-endian Float32 bytes.
    public var bytes: [UInt8]

    /// Creates a named vector.
    public init(name: String, bytes: [UInt8]) {
        self.name = name
        self.bytes = bytes
    }
}

extension KnowledgeStore {
    /// Records a model and its vectors (replacing a model of the same name), in one transaction.
    ///
    /// The sha256 covers the config JSON and, in order, every entity and relation name and vector.
    public func saveModel(name: String, kind: String, config: String, entities: [NamedVector],
                          relations: [NamedVector]) throws -> StoredModel {
        var digest = SHA256()
        digest.update(config)
        for vector in entities + relations {
            digest.update(vector.name)
            digest.update(vector.bytes)
        }
        let sha256 = digest.finalizeHex()
        let created = ISO8601DateFormatter().string(from: Date())
        return try write { db in
            try db.execute(sql: "DELETE FROM models WHERE name = ?", arguments: [name])
            try db.execute(sql: "INSERT INTO models(name, kind, config, sha256, created_at) VALUES (?, ?, ?, ?, ?)",
                           arguments: [name, kind, config, sha256, created])
            let id = db.lastInsertedRowID
            let insert = try db.makeStatement(sql: """
                INSERT INTO embeddings(model, role, position, name, entity, vector)
                VALUES (?, ?, ?, ?, (SELECT id FROM terms WHERE id = ? AND kind = 0 AND value = ?), ?)
                """)
            for (role, vectors) in [("entity", entities), ("relation", relations)] {
                for (position, vector) in vectors.enumerated() {
                    let termID = KnowledgeStore.termID(.iri(IRI(vector.name)))
                    try insert.execute(arguments: [id, role, position, vector.name, termID, vector.name, Data(vector.bytes)])
                }
            }
            return StoredModel(id: id, name: name, kind: kind, config: config, sha256: sha256, createdAt: created)
        }
    }

    /// Records a model whose weights live in a file (a checkpoint), with that file's sha256.
    public func registerModel(name: String, kind: String, config: String, sha256: String) throws -> StoredModel {
        let created = ISO8601DateFormatter().string(from: Date())
        return try write { db in
            try db.execute(sql: "DELETE FROM models WHERE name = ?", arguments: [name])
            try db.execute(sql: "INSERT INTO models(name, kind, config, sha256, created_at) VALUES (?, ?, ?, ?, ?)",
                           arguments: [name, kind, config, sha256, created])
            return StoredModel(id: db.lastInsertedRowID, name: name, kind: kind, config: config, sha256: sha256, createdAt: created)
        }
    }

    /// All recorded models, newest first.
    public func models() throws -> [StoredModel] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT id, name, kind, config, sha256, created_at FROM models ORDER BY id DESC").map {
                StoredModel(id: $0[0], name: $0[1], kind: $0[2], config: $0[3], sha256: $0[4], createdAt: $0[5])
            }
        }
    }

    /// The model named `name`, or the newest model of kind `kind` when no name is given.
    public func model(named name: String? = nil, kind: String? = nil) throws -> StoredModel? {
        try models().first { (name == nil || $0.name == name) && (kind == nil || $0.kind == kind) }
    }

    /// The vectors of a model for one role (`entity` or `relation`), in their stored order.
    public func vectors(of model: StoredModel, role: String) throws -> [NamedVector] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT name, vector FROM embeddings WHERE model = ? AND role = ? ORDER BY position",
                             arguments: [model.id, role]).map {
                NamedVector(name: $0[0], bytes: [UInt8]($0[1] as Data))
            }
        }
    }
}
