import Foundation
import RDF
import Testing

/// One test of the W3C RDF 1.1 XML Syntax test suite, as listed in `manifest.tsv`.
struct RDFXMLConformanceCase: Sendable, CustomTestStringConvertible {
    /// The test name (`mf:name`).
    let name: String
    /// `TestXMLEval` or `TestXMLNegativeSyntax`.
    let type: String
    /// The input file, relative to the suite folder.
    let action: String
    /// The input's IRI, the base for parsing.
    let actionIRI: String
    /// The expected N-Triples file, relative to the suite folder (empty for negative tests).
    let result: String

    var testDescription: String { name }

    /// All tests of the manifest, in order (empty if the manifest cannot be read; the count tests then fail).
    static let all: [RDFXMLConformanceCase] = {
        let path = RDFXMLTestSupport.conformanceRoot + "/manifest.tsv"
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
        var cases: [RDFXMLConformanceCase] = []
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let columns = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard columns.count >= 4, columns[0] != "name" else { continue }
            cases.append(RDFXMLConformanceCase(name: columns[0], type: columns[1], action: columns[2],
                                               actionIRI: columns[3], result: columns.count > 4 ? columns[4] : ""))
        }
        return cases
    }()

    static let evaluation = all.filter { $0.type == "TestXMLEval" }
    static let negativeSyntax = all.filter { $0.type == "TestXMLNegativeSyntax" }
}

@Suite("RDF/XML W3C conformance")
struct RDFXMLConformanceTests {
    @Test("the manifest lists 126 evaluation and 40 negative syntax tests")
    func manifestCounts() {
        #expect(RDFXMLConformanceCase.all.count == 166)
        #expect(RDFXMLConformanceCase.evaluation.count == 126)
        #expect(RDFXMLConformanceCase.negativeSyntax.count == 40)
    }

    @Test("evaluation test gives a graph isomorphic to the expected N-Triples", arguments: RDFXMLConformanceCase.evaluation)
    func evaluation(_ test: RDFXMLConformanceCase) throws {
        let root = RDFXMLTestSupport.conformanceRoot
        let input = try RDFXMLTestSupport.bytes(of: root + "/" + test.action)
        let actual = try RDFXMLTestSupport.triples(input, baseIRI: test.actionIRI, documentName: test.action)
        var expected: [Triple] = []
        try NTriplesParser(documentName: test.result)
            .parse(bytes: RDFXMLTestSupport.bytes(of: root + "/" + test.result)) { expected.append($0) }
        let isomorphic = GraphIsomorphism.areIsomorphic(actual, expected)
        #expect(isomorphic, """
            \(test.name): graphs differ
            actual:
            \(actual.map(\.description).sorted().joined(separator: "\n"))
            expected:
            \(expected.map(\.description).sorted().joined(separator: "\n"))
            """)
    }

    @Test("negative syntax test is rejected with a positioned error", arguments: RDFXMLConformanceCase.negativeSyntax)
    func negativeSyntax(_ test: RDFXMLConformanceCase) throws {
        let input = try RDFXMLTestSupport.bytes(of: RDFXMLTestSupport.conformanceRoot + "/" + test.action)
        let error = #expect(throws: RDFSyntaxError.self) {
            _ = try RDFXMLTestSupport.triples(input, baseIRI: test.actionIRI, documentName: test.action)
        }
        #expect(error?.file == test.action)
        #expect((error?.line ?? 0) > 0)
    }
}
