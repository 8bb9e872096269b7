import Foundation
import RDF
import Rules
import Testing

/// One test of the OWL 2 RL/RDF rules collection (Schneider & Mainzer, FZI), as `index.tsv` lists it.
struct OWL2RLCase: Sendable, CustomTestStringConvertible {
    let id: String
    let type: String
    let regimes: String

    var testDescription: String { id }
    /// Datatype tests (rdfbased-dat-*) exercise the dt-* rules over XSD value spaces.
    var isDatatypeTest: Bool { id.hasPrefix("rdfbased-dat-") }
    var folder: URL { EntailmentSupport.conformanceFolder.appendingPathComponent("owl2-rl/owl2rl/\(id)") }

    static let all: [OWL2RLCase] = {
        let url = EntailmentSupport.conformanceFolder.appendingPathComponent("owl2-rl/index.tsv")
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").dropFirst().compactMap { line in
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard fields.count >= 4, fields[0] == "owl2rl" else { return nil }
            return OWL2RLCase(id: fields[1], type: fields[2], regimes: fields[3])
        }
    }()

    /// Runs OWL 2 RL (with eq-ref and the datatype rules, the complete rule set of the spec) on the premises; true when the conclusion is entailed (or, for INCONSISTENCY, a clash is found).
    func passes() throws -> Bool {
        let base = "http://www.example.org/\(id)/"
        if type == "INCONSISTENCY" {
            let graph = try EntailmentSupport.readGraph(folder.appendingPathComponent("\(id).graph.ttl"), baseIRI: base)
            let reasoner = try EntailmentSupport.close(graph, programs: [try RuleProgram.owl2RL(equalityReflexivity: true, datatypes: true)])
            return !reasoner.inconsistencies.isEmpty
        }
        let premises = try EntailmentSupport.readGraph(folder.appendingPathComponent("\(id).premisegraph.ttl"), baseIRI: base)
        let conclusion = try EntailmentSupport.readGraph(folder.appendingPathComponent("\(id).conclusiongraph.ttl"), baseIRI: base)
        let reasoner = try EntailmentSupport.close(premises, programs: [try RuleProgram.owl2RL(equalityReflexivity: true, datatypes: true)])
        return EntailmentSupport.entails(reasoner, conclusion)
    }

}

@Suite("OWL 2 RL conformance")
struct OWL2RLConformanceTests {
    @Test("index.tsv lists 273 owl2rl tests: 209 positive entailment, 64 inconsistency; 117 without datatypes")
    func counts() {
        let cases = OWL2RLCase.all
        #expect(cases.count == 273)
        #expect(cases.filter { $0.type == "POSITIVE_ENTAILMENT" }.count == 209)
        #expect(cases.filter { $0.type == "INCONSISTENCY" }.count == 64)
        #expect(cases.filter { !$0.isDatatypeTest }.count == 117)
    }

    @Test("non-datatype tests (the bar: all 117 pass)", arguments: OWL2RLCase.all.filter { !$0.isDatatypeTest })
    func nonDatatype(_ testCase: OWL2RLCase) throws {
        #expect(try testCase.passes(), "\(testCase.type) \(testCase.id) (\(testCase.regimes))")
    }

    @Test("datatype tests (dt-* rules with datatypes: true)", arguments: OWL2RLCase.all.filter(\.isDatatypeTest))
    func datatype(_ testCase: OWL2RLCase) throws {
        #expect(try testCase.passes(), "\(testCase.type) \(testCase.id) (\(testCase.regimes))")
    }

    @Test("pass counts per group")
    func summary() throws {
        var passed: [String: Int] = [:], total: [String: Int] = [:]
        for testCase in OWL2RLCase.all {
            let group = (testCase.isDatatypeTest ? "datatype " : "non-datatype ") + testCase.type
            total[group, default: 0] += 1
            if try testCase.passes() { passed[group, default: 0] += 1 }
        }
        let report = total.keys.sorted().map { "\($0): \(passed[$0] ?? 0)/\(total[$0]!)" }.joined(separator: "; ")
        print("OWL 2 RL conformance: \(report)")
        #expect(passed["non-datatype POSITIVE_ENTAILMENT"] == 94)
        #expect(passed["non-datatype INCONSISTENCY"] == 23)
        #expect(passed["datatype POSITIVE_ENTAILMENT"] == 115)
        #expect(passed["datatype INCONSISTENCY"] == 41)
    }
}
