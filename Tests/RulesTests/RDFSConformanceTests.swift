import Foundation
import RDF
import Rules
import Testing

/// One RDF 1.1 Semantics entailment test, as `Tests/Conformance/rdf-mt/tests.json` lists it.
struct RDFEntailmentCase: Sendable, Decodable, CustomTestStringConvertible {
    let manifest: String
    let id: String
    let type: String
    let regime: String
    let result: String
    let action: String
    let recognized: [String]
    let approval: String?

    var testDescription: String { "\(type) \(id)" }

    static let folder = EntailmentSupport.conformanceFolder.appendingPathComponent("rdf-mt")

    static let all: [RDFEntailmentCase] = {
        guard let data = try? Data(contentsOf: folder.appendingPathComponent("tests.json")) else { return [] }
        return (try? JSONDecoder().decode([RDFEntailmentCase].self, from: data)) ?? []
    }()

    /// The approved suite's RDFS-regime tests that need no datatype recognition (the bar: 13).
    static let rdfsCore = all.filter { $0.manifest == "manifest.ttl" && $0.regime == "RDFS" && $0.recognized.isEmpty }

    func graph(_ path: String) throws -> [Triple] {
        try EntailmentSupport.readGraph(RDFEntailmentCase.folder.appendingPathComponent(path),
                                        baseIRI: "https://w3c.github.io/rdf-tests/rdf/rdf11/rdf-mt/" + path)
    }

    /// Runs RDFS (RDFS-D with the test's recognized datatypes) over the action graph and compares with the expected outcome.
    func passes() throws -> Bool {
        let recognized = recognized.map { ["XMLLiteral", "langString"].contains($0) ? IRI(Vocabulary.RDF.namespace + $0) : IRI(Vocabulary.XSD.namespace + $0) }
        let reasoner = try EntailmentSupport.close(try graph(action), programs: [try RuleProgram.rdfs(recognizedDatatypes: recognized)])
        let positive = type == "PositiveEntailmentTest"
        if result == "false" {
            // "false": a positive test says the input is inconsistent, a negative one that it is consistent.
            return positive == !reasoner.inconsistencies.isEmpty
        }
        return EntailmentSupport.entails(reasoner, try graph(result)) == positive
    }
}

@Suite("RDF 1.1 Semantics (RDFS) conformance")
struct RDFSConformanceTests {
    @Test("tests.json: 24 RDFS-regime tests in the approved suite, 13 of them without datatype recognition")
    func counts() {
        #expect(RDFEntailmentCase.all.filter { $0.manifest == "manifest.ttl" && $0.regime == "RDFS" }.count == 24)
        #expect(RDFEntailmentCase.rdfsCore.count == 13)
        #expect(RDFEntailmentCase.rdfsCore.filter { $0.type == "PositiveEntailmentTest" }.count == 6)
    }

    @Test("RDFS tests without datatypes (the bar: all 13 pass)", arguments: RDFEntailmentCase.rdfsCore)
    func rdfsCore(_ testCase: RDFEntailmentCase) throws {
        #expect(try testCase.passes())
    }

    @Test("RDFS tests with recognized datatypes (RDFS-D: rdfD1, ill-typed literals, value-space clashes)",
          arguments: RDFEntailmentCase.all.filter { $0.manifest == "manifest.ttl" && $0.regime == "RDFS" && !$0.recognized.isEmpty })
    func rdfsWithDatatypes(_ testCase: RDFEntailmentCase) throws {
        #expect(try testCase.passes())
    }

    @Test("pass counts")
    func summary() throws {
        let rdfsAll = RDFEntailmentCase.all.filter { $0.manifest == "manifest.ttl" && $0.regime == "RDFS" }
        let corePassed = try RDFEntailmentCase.rdfsCore.filter { try $0.passes() }.count
        let allPassed = try rdfsAll.filter { try $0.passes() }.count
        print("RDF 1.1 Semantics conformance: RDFS without datatypes \(corePassed)/\(RDFEntailmentCase.rdfsCore.count); all RDFS-regime \(allPassed)/\(rdfsAll.count)")
        #expect(corePassed == 13)
        #expect(allPassed == 24)
    }
}
