import Foundation
import GRDB
import RDF

/// The kgfuse knowledge store: one SQLite file in WAL mode holding interned terms, quads in named graphs with
/// provenance, and trained models.
///
/// Readers never block the writer and see the last committed state while a load runs (SQLite WAL through
/// GRDB's `DatabasePool`). Every load is one transaction: a document that fails to parse changes nothing.
public final class KnowledgeStore: Sendable {
    /// The path of the SQLite file.
    public let path: String
    let pool: DatabasePool

    /// The default store: `$KGFUSE_STORE` if set, else `./kgfuse.sqlite`.
    public static var defaultPath: String {
        ProcessInfo.processInfo.environment["KGFUSE_STORE"].flatMap { $0.isEmpty ? nil : $0 } ?? "kgfuse.sqlite"
    }

    /// Opens (creating if needed) the store at `path` and brings its schema up to date.
    public init(path: String) throws {
        self.path = path
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            guard let connection = db.sqliteConnection else { throw StoreError(.cannotOpen, "the SQLite connection is closed", path: path) }
            let registered = QuadTable.register(on: connection)
            guard registered == 0 else { throw StoreError(.cannotOpen, "cannot register the quads table (SQLite error \(registered))", path: path) }
            // 16 KiB pages (a new file only; an existing store keeps its page size): a quad block fills a page.
            try db.execute(sql: "PRAGMA page_size = 16384")
            try db.execute(sql: "PRAGMA synchronous = NORMAL; PRAGMA cache_size = -32768; PRAGMA temp_store = MEMORY; PRAGMA threads = 2; PRAGMA mmap_size = 1073741824")
        }
        configuration.busyMode = .timeout(30)
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            try StoreSchema.migrator().migrate(pool)
        } catch let error as DatabaseError {
            throw StoreError(.cannotOpen, "cannot open the knowledge store: \(error.message ?? error.description)", path: path)
        }
    }

    /// Runs `body` in a read transaction on a consistent snapshot.
    func read<T: Sendable>(_ body: @Sendable (Database) throws -> T) throws -> T {
        do { return try pool.read(body) } catch let error as DatabaseError {
            throw StoreError(.sqlite, error.description, path: path)
        }
    }

    /// Runs `body` in one write transaction; if it throws, nothing is changed.
    func write<T: Sendable>(_ body: @Sendable (Database) throws -> T) throws -> T {
        do { return try pool.write(body) } catch let error as DatabaseError {
            throw StoreError(.sqlite, error.description, path: path)
        }
    }
}

/// A named graph in the store with its provenance.
public struct GraphInfo: Sendable, Codable, Equatable {
    /// The graph's row id.
    public var id: Int64
    /// The graph's IRI.
    public var iri: String
    /// The file it was loaded from, if any.
    public var source: String?
    /// The sha256 of that file, if any.
    public var sha256: String?
    /// When it was loaded (ISO 8601, UTC).
    public var loadedAt: String
    /// The number of distinct triples in it.
    public var triples: Int
    /// `asserted` for loaded documents, `inferred` for reasoning output.
    public var kind: String
}

extension KnowledgeStore {
    /// All graphs, ordered by id.
    public func graphs() throws -> [GraphInfo] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT id, iri, source, sha256, loaded_at, triples, kind FROM graphs ORDER BY id").map {
                GraphInfo(id: $0[0], iri: $0[1], source: $0[2], sha256: $0[3], loadedAt: $0[4], triples: $0[5], kind: $0[6])
            }
        }
    }

    /// The graph with this IRI, or nil.
    public func graph(iri: String) throws -> GraphInfo? {
        try graphs().first { $0.iri == iri }
    }

    /// Total quads, distinct triples (over all graphs) and distinct terms in the store.
    public func totals() throws -> (quads: Int, distinctTriples: Int, terms: Int) {
        try read { db in
            // Each graph's SPO run holds its distinct triples, 24 bytes each (see `QuadBlocks`).
            let quads = (try Int.fetchOne(db, sql: "SELECT sum(length(triples)) FROM quad_blocks WHERE ordering = 0") ?? 0) / 24
            let graphsWithQuads = try Int.fetchOne(db, sql: "SELECT count(DISTINCT g) FROM quad_blocks WHERE ordering = 0") ?? 0
            let triples = graphsWithQuads <= 1 ? quads : try Int.fetchOne(db, sql: "SELECT count(*) FROM (SELECT DISTINCT s, p, o FROM quads)") ?? 0
            let terms = try Int.fetchOne(db, sql: "SELECT count(*) FROM terms") ?? 0
            return (quads, triples, terms)
        }
    }

    /// The namespace prefixes declared by the loaded documents (first declaration of a prefix wins),
    /// plus rdf, rdfs, owl and xsd.
    public func prefixes() throws -> [String: String] {
        let declared = try read { db in
            try Row.fetchAll(db, sql: "SELECT prefix, namespace FROM prefixes ORDER BY graph DESC").map { ($0[0] as String, $0[1] as String) }
        }
        var result: [String: String] = [:]
        for (prefix, namespace) in declared { result[prefix] = namespace }
        for (prefix, namespace) in Vocabulary.standardPrefixes { result[prefix] = namespace }
        return result
    }

    /// Deletes a graph, its quads and its prefixes in one transaction; returns false if it did not exist.
    @discardableResult
    public func dropGraph(iri: String) throws -> Bool {
        try write { db in
            guard let id = try Int64.fetchOne(db, sql: "SELECT id FROM graphs WHERE iri = ?", arguments: [iri]) else { return false }
            try QuadBlocks.delete(graph: id, from: db)
            try db.execute(sql: "DELETE FROM prefixes WHERE graph = ?", arguments: [id])
            try db.execute(sql: "DELETE FROM graphs WHERE id = ?", arguments: [id])
            return true
        }
    }
}
