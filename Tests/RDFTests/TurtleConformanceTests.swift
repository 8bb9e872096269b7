import Foundation
import RDF
import Testing

/// One entry of the W3C RDF 1.1 Turtle test suite, as `Tests/Conformance/turtle/manifest.tsv` lists it.
struct TurtleManifestEntry: Sendable, CustomTestStringConvertible {
    let name: String
    let type: String
    let action: String
    let baseIRI: String
    let result: String?

    var testDescription: String { "\(type) \(name)" }

    /// The suite folder: `Tests/Conformance/turtle`, found from this file's path.
    static let folder: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Conformance/turtle")

    /// All entries of manifest.tsv (header and comment lines skipped); empty if the file is missing.
    static let all: [TurtleManifestEntry] = {
        guard let text = try? String(contentsOf: folder.appendingPathComponent("manifest.tsv"), encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { line -> TurtleManifestEntry? in
            if line.hasPrefix("#") || line.hasPrefix("name\t") { return nil }
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard fields.count >= 4 else { return nil }
            let result = fields.count > 4 && !fields[4].isEmpty ? fields[4] : nil
            return TurtleManifestEntry(name: fields[0], type: fields[1], action: fields[2], baseIRI: fields[3], result: result)
        }
    }()

    func read(_ file: String) throws -> String {
        try String(contentsOf: TurtleManifestEntry.folder.appendingPathComponent(file), encoding: .utf8)
    }
}

@Suite("Turtle W3C conformance")
struct TurtleConformanceTests {
    @Test("the manifest lists 313 tests: 145 eval, 74 positive syntax, 94 negative syntax")
    func manifestCounts() {
        let entries = TurtleManifestEntry.all
        var counts: [String: Int] = [:]
        for entry in entries { counts[entry.type, default: 0] += 1 }
        #expect(entries.count == 313)
        #expect(counts["TestTurtleEval"] == 145)
        #expect(counts["TestTurtlePositiveSyntax"] == 74)
        #expect(counts["TestTurtleNegativeSyntax"] == 94)
        #expect(counts.keys.sorted() == ["TestTurtleEval", "TestTurtleNegativeSyntax", "TestTurtlePositiveSyntax"])
    }

    @Test(arguments: TurtleManifestEntry.all)
    func conformance(_ entry: TurtleManifestEntry) throws {
        let parser = TurtleParser(baseIRI: entry.baseIRI, documentName: entry.action)
        let input = try entry.read(entry.action)
        switch entry.type {
        case "TestTurtleEval":
            let actual = try parser.triples(in: input)
            let expectedFile = try #require(entry.result)
            let expected = try NTriplesParser(documentName: expectedFile).triples(in: try entry.read(expectedFile))
            #expect(GraphIsomorphism.areIsomorphic(actual, expected),
                    "parsed:\n\(actual.map(\.description).joined(separator: "\n"))\nexpected:\n\(expected.map(\.description).joined(separator: "\n"))")
        case "TestTurtlePositiveSyntax":
            _ = try parser.triples(in: input)
        case "TestTurtleNegativeSyntax", "TestTurtleNegativeEval":
            #expect(throws: RDFSyntaxError.self) { _ = try parser.triples(in: input) }
        default:
            Issue.record("unknown test type \(entry.type)")
        }
    }
}
