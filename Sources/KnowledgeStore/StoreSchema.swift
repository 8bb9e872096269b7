import GRDB

/// The store's tables, created and upgraded by numbered migrations (GRDB's DatabaseMigrator).
///
/// - `terms(id, kind, value, datatype, lang)`: every term once; ids are content hashes (see `StoredTerm.id`).
/// - `graphs(id, iri, source, sha256, loaded_at, triples, kind)`: one named graph per loaded document
///   (`kind` = asserted) or reasoning run (`kind` = inferred).
/// - v3-quad-blocks: `quad_blocks(id, ordering, g, la, lb, lc, triples)`: each graph's triples sorted in SPO, POS and
///   OSP order, in blocks (see `QuadBlocks`), read in SQL through the virtual table `quads(g, s, p, o)` (`QuadTable`).
///   Until v3 (and inside v1), `quads` was a table with primary key (s, p, o, g) and POS and OSP indexes.
/// - `prefixes(graph, prefix, namespace)`: the namespace declarations of each loaded document.
/// - `models(id, kind, config, sha256, created_at)` and `embeddings(model, role, position, name, entity, vector)` (role: entity or
///   relation; entity: the term id when the name is an IRI in the store; vector: little-endian Float32): trained models.
/// - v2-reasoning: `runs` and `firings` (the audit log: append-only, each row hash-chained to the previous row of its
///   table, see `KnowledgeStore+Audit.swift`) and `derivations(s, p, o, graph, rule, premises, run)` (one row per way a
///   derived fact was derived). Premises, conclusions and firing hashes are BLOBs in the
///   compact `AuditEncoding`; rows written before it hold the same values as JSON and hex text, and still read and verify.
enum StoreSchema {
    /// The v1 table's POS and OSP indexes (v3 replaced the table by `quad_blocks`).
    static let quadIndexes = """
        CREATE INDEX quads_pos ON quads(p, o, s, g);
        CREATE INDEX quads_osp ON quads(o, s, p, g);
        """

    static func migrator() -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-quads") { db in
            try db.execute(sql: """
                CREATE TABLE terms(
                    id INTEGER PRIMARY KEY,
                    kind INTEGER NOT NULL,
                    value TEXT NOT NULL,
                    datatype TEXT,
                    lang TEXT);
                CREATE TABLE graphs(
                    id INTEGER PRIMARY KEY,
                    iri TEXT NOT NULL UNIQUE,
                    source TEXT,
                    sha256 TEXT,
                    loaded_at TEXT NOT NULL,
                    triples INTEGER NOT NULL,
                    kind TEXT NOT NULL DEFAULT 'asserted');
                CREATE TABLE quads(
                    g INTEGER NOT NULL,
                    s INTEGER NOT NULL,
                    p INTEGER NOT NULL,
                    o INTEGER NOT NULL,
                    PRIMARY KEY (s, p, o, g)) WITHOUT ROWID;
                CREATE TABLE prefixes(
                    graph INTEGER NOT NULL REFERENCES graphs(id) ON DELETE CASCADE,
                    prefix TEXT NOT NULL,
                    namespace TEXT NOT NULL,
                    PRIMARY KEY (graph, prefix));
                CREATE TABLE models(
                    id INTEGER PRIMARY KEY,
                    name TEXT NOT NULL UNIQUE,
                    kind TEXT NOT NULL,
                    config TEXT NOT NULL,
                    sha256 TEXT NOT NULL,
                    created_at TEXT NOT NULL);
                CREATE TABLE embeddings(
                    model INTEGER NOT NULL REFERENCES models(id) ON DELETE CASCADE,
                    role TEXT NOT NULL,
                    position INTEGER NOT NULL,
                    name TEXT NOT NULL,
                    entity INTEGER,
                    vector BLOB NOT NULL,
                    PRIMARY KEY (model, role, position)) WITHOUT ROWID;
                CREATE INDEX embeddings_name ON embeddings(model, role, name);
                """)
            try db.execute(sql: quadIndexes)
        }
        migrator.registerMigration("v2-reasoning") { db in
            try db.execute(sql: """
                CREATE TABLE runs(
                    id INTEGER PRIMARY KEY,
                    kind TEXT NOT NULL CHECK (kind IN ('reason', 'diagnose')),
                    started_at TEXT NOT NULL,
                    case_sha256 TEXT,
                    model_sha256 TEXT,
                    ontology TEXT NOT NULL,
                    ruleset_sha256 TEXT,
                    output TEXT NOT NULL,
                    prev_hash TEXT NOT NULL,
                    hash TEXT NOT NULL);
                CREATE INDEX runs_started ON runs(started_at);
                CREATE TABLE firings(
                    id INTEGER PRIMARY KEY,
                    run INTEGER NOT NULL REFERENCES runs(id),
                    rule TEXT NOT NULL,
                    action TEXT NOT NULL,
                    severity TEXT NOT NULL,
                    bindings TEXT NOT NULL,
                    premises TEXT NOT NULL,
                    conclusion TEXT NOT NULL,
                    satisfied INTEGER,
                    prev_hash TEXT NOT NULL,
                    hash TEXT NOT NULL);
                CREATE INDEX firings_run ON firings(run);
                CREATE INDEX firings_rule ON firings(rule, run);
                CREATE TRIGGER runs_append_only_update BEFORE UPDATE ON runs BEGIN SELECT RAISE(ABORT, 'runs are append-only'); END;
                CREATE TRIGGER runs_append_only_delete BEFORE DELETE ON runs BEGIN SELECT RAISE(ABORT, 'runs are append-only'); END;
                CREATE TRIGGER firings_append_only_update BEFORE UPDATE ON firings BEGIN SELECT RAISE(ABORT, 'firings are append-only'); END;
                CREATE TRIGGER firings_append_only_delete BEFORE DELETE ON firings BEGIN SELECT RAISE(ABORT, 'firings are append-only'); END;
                CREATE TABLE derivations(
                    id INTEGER PRIMARY KEY,
                    s INTEGER NOT NULL,
                    p INTEGER NOT NULL,
                    o INTEGER NOT NULL,
                    graph INTEGER NOT NULL REFERENCES graphs(id) ON DELETE CASCADE,
                    rule TEXT NOT NULL,
                    premises TEXT NOT NULL,
                    run INTEGER NOT NULL REFERENCES runs(id));
                CREATE INDEX derivations_fact ON derivations(s, p, o);
                CREATE INDEX derivations_graph ON derivations(graph);
                """)
        }
        migrator.registerMigration("v3-quad-blocks") { db in
            try db.execute(sql: QuadBlocks.schema)
            if try db.tableExists("quads") { try QuadBlocks.migrateTable(db) }
        }
        return migrator
    }
}
