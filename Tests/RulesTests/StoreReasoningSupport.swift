import Foundation
import KnowledgeStore
import RDF
import TestSupport

/// Paths and stores for the store-level reasoning tests.
enum StoreReasoningSupport {
    /// The repository root: the first folder above this file holding Package.swift.
    static let repositoryRoot = TestPaths.repositoryRoot

    /// `../shared` beside the repository, or `$KGFUSE_SHARED`.
    static let shared = TestPaths.shared

    /// The family ontology of this repository.
    static var familyOntology: String { repositoryRoot.appendingPathComponent("Ontologies/family/family.owl").path }

    /// A store in a fresh temporary folder.
    static func temporaryStore(_ label: String) throws -> KnowledgeStore {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kgfuse-\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return try KnowledgeStore(path: folder.appendingPathComponent("store.sqlite").path)
    }

    static let family = "http://example.org/family#"
    static func fam(_ local: String) -> Term { .iri(family + local) }
    static let type = Term.iri(Vocabulary.RDF.type)

    /// Runs SQL on the store file with the sqlite3 command-line shell (as someone tampering with the file would).
    static func sqlite(_ path: String, _ sql: String) throws -> (status: Int32, output: String) {
        try SQLiteShell.run(path, sql)
    }

    /// The asserted triples of the store as sorted N-Triples lines.
    static func assertedLines(_ store: KnowledgeStore) throws -> [String] {
        let box = LineBox()
        try store.forEachTriple(includeInferred: false) { box.append(NTriplesWriter.line($0)) }
        return box.lines.sorted()
    }
}

/// Collects lines from the store's reader.
final class LineBox: @unchecked Sendable {
    var lines: [String] = []
    func append(_ line: String) { lines.append(line) }
}
