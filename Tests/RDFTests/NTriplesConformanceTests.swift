import Foundation
import RDF
import Testing
import TestSupport

/// The W3C RDF 1.1 N-Triples test suite (copied in Tests/Conformance/n-triples with its licence).
@Suite("W3C N-Triples conformance")
struct NTriplesConformanceTests {
    static let folder = TestPaths.tests("Conformance/n-triples")
    static let entries = ManifestEntry.read(folder.appendingPathComponent("manifest.tsv"))

    @Test("the manifest lists 41 positive and 29 negative tests")
    func manifestCounts() {
        #expect(Self.entries.filter { $0.type == "TestNTriplesPositiveSyntax" }.count == 41)
        #expect(Self.entries.filter { $0.type == "TestNTriplesNegativeSyntax" }.count == 29)
    }

    @Test("positive syntax tests are accepted", arguments: entries.filter { $0.type == "TestNTriplesPositiveSyntax" })
    func positive(_ entry: ManifestEntry) throws {
        let text = try String(contentsOf: Self.folder.appendingPathComponent(entry.action), encoding: .utf8)
        let triples = try NTriplesParser(documentName: entry.action).triples(in: text)
        // Writing and reading back gives the same graph (the writer's output is valid N-Triples).
        let rewritten = triples.map { NTriplesWriter.line($0) }.joined(separator: "\n")
        #expect(try NTriplesParser().triples(in: rewritten) == triples)
    }

    @Test("negative syntax tests are rejected", arguments: entries.filter { $0.type == "TestNTriplesNegativeSyntax" })
    func negative(_ entry: ManifestEntry) throws {
        let text = try String(contentsOf: Self.folder.appendingPathComponent(entry.action), encoding: .utf8)
        #expect(throws: RDFSyntaxError.self) { _ = try NTriplesParser(documentName: entry.action).triples(in: text) }
    }
}

@Suite("N-Triples reader and writer")
struct NTriplesTests {
    @Test("escapes round-trip and errors carry line and column")
    func escapesAndPositions() throws {
        let text = "<http://a/s> <http://a/p> \"tab\\there \\\"q\\\" \\u00E9\"@EN-gb .\n"
        let triples = try NTriplesParser().triples(in: text)
        #expect(triples.count == 1)
        #expect(triples[0].object == .literal(Literal("tab\there \"q\" é", language: "en-gb")))
        #expect(try NTriplesParser().triples(in: NTriplesWriter.line(triples[0])) == triples)

        let bad = "<http://a/s> <http://a/p> <http://a/o> .\n<http://a/s> <http://a/p> \"x\"@ .\n"
        do {
            _ = try NTriplesParser(documentName: "bad.nt").triples(in: bad)
            Issue.record("an empty language tag must be rejected")
        } catch let error as RDFSyntaxError {
            #expect(error.file == "bad.nt")
            #expect(error.line == 2)
            #expect(error.column == 31)
        }
    }

    @Test("graph isomorphism maps blank nodes and tells different graphs apart")
    func isomorphism() throws {
        let a = try NTriplesParser().triples(in: "_:x <http://a/p> _:y .\n_:y <http://a/p> _:x .\n_:x <http://a/q> \"1\" .\n")
        let b = try NTriplesParser().triples(in: "_:m <http://a/p> _:n .\n_:n <http://a/p> _:m .\n_:m <http://a/q> \"1\" .\n")
        let c = try NTriplesParser().triples(in: "_:m <http://a/p> _:n .\n_:n <http://a/p> _:m .\n_:n <http://a/q> \"1\" .\n_:m <http://a/q> \"1\" .\n")
        let d = try NTriplesParser().triples(in: "_:m <http://a/p> _:n .\n_:n <http://a/p> _:m .\n_:m <http://a/q> \"2\" .\n")
        #expect(GraphIsomorphism.areIsomorphic(a, b))
        #expect(!GraphIsomorphism.areIsomorphic(a, c))
        #expect(!GraphIsomorphism.areIsomorphic(a, d))
    }

    @Test("relative references resolve as RFC 3986 §5.4 lists", arguments: [
        ("g:h", "g:h"), ("g", "http://a/b/c/g"), ("./g", "http://a/b/c/g"), ("g/", "http://a/b/c/g/"),
        ("/g", "http://a/g"), ("//g", "http://g"), ("?y", "http://a/b/c/d;p?y"), ("g?y", "http://a/b/c/g?y"),
        ("#s", "http://a/b/c/d;p?q#s"), ("", "http://a/b/c/d;p?q"), (".", "http://a/b/c/"), ("..", "http://a/b/"),
        ("../g", "http://a/b/g"), ("../..", "http://a/"), ("../../../g", "http://a/g"), ("/./g", "http://a/g"),
        ("g.", "http://a/b/c/g."), ("./../g", "http://a/b/g"), ("g;x=1/../y", "http://a/b/c/y"),
    ])
    func resolution(_ reference: String, _ expected: String) {
        #expect(IRIResolver(base: "http://a/b/c/d;p?q").resolve(reference) == expected)
    }
}
