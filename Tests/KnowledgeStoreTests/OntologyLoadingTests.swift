import Foundation
import KnowledgeStore
import RDF
import Testing
import TestSupport

/// Every real ontology in ../shared/ontologies loads, and the store holds exactly as many distinct triples as
/// rapper (raptor2, the reference C parser) reads from the file.
@Suite("Real ontologies against rapper", .serialized)
struct OntologyLoadingTests {
    static let ontologies: [String] = {
        let root = TestPaths.sharedFile("ontologies")
        let folders = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        return folders.sorted().flatMap { folder -> [String] in
            let files = (try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(folder).path)) ?? []
            return files.filter { $0.hasSuffix(".owl") || $0.hasSuffix(".rdf") }.sorted().map { "\(folder)/\($0)" }
        }
    }()

    @Test("the shared folder holds the 13 ontologies")
    func inventory() {
        #expect(Self.ontologies.count == 13)
    }

    @Test("loads and matches rapper's distinct triple count", arguments: ontologies)
    func matchesRapper(_ relative: String) throws {
        let path = TestPaths.sharedFile("ontologies/\(relative)").path
        let store = try makeStore()
        let summary = try store.loadFile(at: path)
        let exported = Counter()
        try store.forEachTriple(graphIRI: summary.graphIRI) { _ in exported.increment() }
        let expected = try rapperDistinctTriples(path)
        #expect(summary.triples == expected, "\(relative): kgfuse stored \(summary.triples), rapper read \(expected)")
        #expect(exported.value == expected)
    }

    @Test("a truncated and a corrupted copy of a real ontology fail with a position and change nothing")
    func damagedOntologies() throws {
        let original = TestPaths.sharedFile("ontologies/pato/pato-base.owl").path
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: original)))
        let folder = TestPaths.temporaryDirectory()
        let truncated = folder.appendingPathComponent("pato-truncated.owl").path
        FileManager.default.createFile(atPath: truncated, contents: Data(bytes[0..<(bytes.count / 2)]))
        var corruptedBytes = bytes
        let middle = bytes.count / 3
        corruptedBytes.replaceSubrange(middle..<(middle + 8), with: Array("<</\"&;\u{1}>".utf8))
        let corrupted = folder.appendingPathComponent("pato-corrupted.owl").path
        FileManager.default.createFile(atPath: corrupted, contents: Data(corruptedBytes))

        let store = try makeStore()
        _ = try store.loadFile(at: TestPaths.sharedFile("ontologies/sosa/sosa.rdf").path)
        let before = try exportAll(store)
        let graphsBefore = try store.graphs()
        // The damaged files go into a new graph and into the existing graph: neither changes anything.
        for damaged in [truncated, corrupted] {
            for graph in [nil, graphsBefore[0].iri] {
                do {
                    _ = try store.loadFile(at: damaged, format: .rdfxml, graphIRI: graph)
                    Issue.record("\(damaged) must not load")
                } catch let error as LoadError {
                    let syntax = try #require(error.cause as? RDFSyntaxError, "\(error)")
                    #expect(syntax.file == damaged)
                    #expect(syntax.line > 0)
                    #expect(syntax.column > 0)
                }
            }
        }
        #expect(try exportAll(store) == before)
        #expect(try store.graphs() == graphsBefore)
    }
}

/// Counts with a lock-free box (the export callback is @Sendable but runs on the calling thread).
final class Counter: @unchecked Sendable {
    private(set) var value = 0
    func increment() { value += 1 }
}

/// Distinct triples in rapper's N-Triples output for the file (rapper from Debian's raptor2-utils).
func rapperDistinctTriples(_ path: String) throws -> Int {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/rapper")
    process.arguments = ["-q", "-i", "rdfxml", "-o", "ntriples", path]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0, "rapper failed on \(path); scripts/setup.sh installs raptor2-utils")
    var lines = Set<Substring>()
    for line in String(decoding: data, as: UTF8.self).split(separator: "\n") { lines.insert(line) }
    return lines.count
}
