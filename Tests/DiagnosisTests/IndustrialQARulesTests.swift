import Diagnosis
import Foundation
import RDF
import Rules
import Testing
import TestSupport

/// Spectral evidence given as data: peaks (frequency, prominence) per sensor.
struct FixedEvidence: EnvelopeEvidence {
    var peaks: [IRI: [(hz: Double, amplitude: Double)]]
    func strongestPeak(sensor: IRI, near hz: Double, tolerance: Double) -> Double? {
        peaks[sensor]?.filter { abs($0.hz - hz) <= tolerance * hz }.map(\.amplitude).max()
    }
}

/// The pack's rules on the pack's ontology, with cases whose evidence is known.
@Suite("Industrial QA rules")
struct IndustrialQARulesTests {
    static let ontology: [Triple] = {
        var triples: [Triple] = []
        try? RDFXMLParser().parse(fileAt: TestPaths.repositoryRoot.appendingPathComponent("Ontologies/industrial-qa.owl").path) {
            triples.append($0)
        }
        return triples
    }()

    /// Runs the rules for one case with one prediction; returns the reasoner and the firings.
    func run(predicted: String, rpm: Double, evidence: FixedEvidence, size: Double? = nil) throws -> (Reasoner, [Firing]) {
        let holder = CaseEvidence()
        holder.set(evidence)
        let registry = BuiltInRegistry()
        IndustrialQA.registerBuiltIns(in: registry, evidence: holder)
        let path = TestPaths.repositoryRoot.appendingPathComponent("Ontologies/industrial-qa.rules").path
        let rules = try RuleParser(documentName: path, builtIns: registry).parse(String(contentsOfFile: path, encoding: .utf8))
        let reasoner = try Reasoner(programs: [RuleProgram(name: "industrial-qa", rules: rules)], builtIns: registry)
        for triple in Self.ontology { reasoner.insert(triple) }
        let caseIRI = Term.iri("urn:kgfuse:case:test")
        let prediction = Term.iri("urn:kgfuse:case:test#prediction1")
        let type = Term.iri(Vocabulary.RDF.type)
        reasoner.insert(Triple(caseIRI, type, .iri(IndustrialQA.iri("Case"))))
        reasoner.insert(Triple(caseIRI, .iri(IndustrialQA.iri("shaftSpeedRPM")), .literal(Literal(String(rpm), datatype: Vocabulary.XSD.decimal))))
        if let size {
            reasoner.insert(Triple(caseIRI, .iri(IndustrialQA.iri("faultDiameterMil")), .literal(Literal(String(size), datatype: Vocabulary.XSD.decimal))))
        }
        reasoner.insert(Triple(prediction, type, .iri(IndustrialQA.iri("Prediction"))))
        reasoner.insert(Triple(prediction, .iri(IndustrialQA.iri("ofCase")), caseIRI))
        reasoner.insert(Triple(prediction, .iri(IndustrialQA.iri("predictedClass")), .iri(IndustrialQA.iri(predicted))))
        reasoner.insert(Triple(prediction, .iri(IndustrialQA.iri("rank")), .literal(Literal("1", datatype: Vocabulary.XSD.integer))))
        let collector = FiringCollector()
        _ = try reasoner.run(sink: collector)
        return (reasoner, reasoner.firings)
    }

    let de = IndustrialQA.iri("sensorDE"), fe = IndustrialQA.iri("sensorFE")
    let prediction = Term.iri("urn:kgfuse:case:test#prediction1")

    @Test("a drive-end inner race fault with a BPFI peak on the drive end is supported: plan maintenance, no severity without a size")
    func supported() throws {
        let bpfi = 1772.0 / 60 * 5.4152
        let (reasoner, firings) = try run(predicted: "DriveEndInnerRaceFault", rpm: 1772,
                                          evidence: FixedEvidence(peaks: [de: [(bpfi * 1.01, 30)]]))
        let require = firings.filter { $0.ruleID == "iqa-fault-requires-envelope-peak" }
        #expect(require.count == 1)
        #expect(require.first?.satisfied == true)
        #expect(firings.filter { $0.action == .veto }.isEmpty)
        #expect(reasoner.triples(subject: prediction, predicate: .iri(IndustrialQA.iri("hasSeverity"))).isEmpty)
        #expect(reasoner.contains(Triple(prediction, .iri(IndustrialQA.iri("hasUrgency")), .iri(IndustrialQA.iri("urgencyPlanMaintenance")))))
        #expect(!reasoner.contains(Triple(prediction, .iri(IndustrialQA.iri("hasUrgency")), .iri(IndustrialQA.iri("urgencyInspect")))))
    }

    @Test("a fan-end fault is vetoed when the drive end shows the BPFI peak and the fan end does not")
    func vetoed() throws {
        let driveBPFI = 1772.0 / 60 * 5.4152
        let (_, firings) = try run(predicted: "FanEndInnerRaceFault", rpm: 1772,
                                   evidence: FixedEvidence(peaks: [de: [(driveBPFI, 20)]]))
        let vetoes = firings.filter { $0.action == .veto }
        #expect(vetoes.map(\.ruleID) == ["iqa-veto-fault-at-other-bearing"])
        #expect(vetoes.first?.bindings["g"] == .iri(IndustrialQA.iri("driveEndBPFI")))
        #expect(firings.first { $0.ruleID == "iqa-fault-requires-envelope-peak" }?.satisfied == false)
        #expect(firings.contains { $0.ruleID == "iqa-flag-unsupported-fault" })
    }

    @Test("evidence at a frequency within the tolerance of a shaft harmonic (fan-end BPFI = 4.95× shaft) vetoes nothing")
    func shaftHarmonicDoesNotVeto() throws {
        #expect(!IndustrialQA.isDistinctFromShaftHarmonics(multiplier: 4.9469))
        #expect(IndustrialQA.isDistinctFromShaftHarmonics(multiplier: 5.4152))
        let fanBPFI = 1772.0 / 60 * 4.9469
        let (_, firings) = try run(predicted: "DriveEndInnerRaceFault", rpm: 1772,
                                   evidence: FixedEvidence(peaks: [fe: [(fanBPFI, 40)]]))
        #expect(firings.filter { $0.action == .veto }.isEmpty)
        #expect(firings.first { $0.ruleID == "iqa-fault-requires-envelope-peak" }?.satisfied == false)
    }

    @Test("a peak outside the tolerance does not count, and the stated size sets the severity")
    func toleranceAndSize() throws {
        let bpfi = 1772.0 / 60 * 5.4152
        let (reasoner, firings) = try run(predicted: "DriveEndInnerRaceFault", rpm: 1772,
                                          evidence: FixedEvidence(peaks: [de: [(bpfi * 1.10, 50)]]), size: 21)
        #expect(firings.first { $0.ruleID == "iqa-fault-requires-envelope-peak" }?.satisfied == false)
        #expect(reasoner.contains(Triple(prediction, .iri(IndustrialQA.iri("hasSeverity")), .iri(IndustrialQA.iri("severitySevere")))))
        #expect(reasoner.contains(Triple(prediction, .iri(IndustrialQA.iri("hasUrgency")), .iri(IndustrialQA.iri("urgencyStopSoon")))))
    }

    @Test("a normal prediction needs no peak and gets routine monitoring")
    func normal() throws {
        let (reasoner, firings) = try run(predicted: "Normal", rpm: 1797, evidence: FixedEvidence(peaks: [:]))
        #expect(firings.filter { $0.action == .veto || $0.action == .require || $0.action == .flag }.isEmpty)
        #expect(reasoner.contains(Triple(prediction, .iri(IndustrialQA.iri("hasUrgency")), .iri(IndustrialQA.iri("urgencyRoutine")))))
    }

    @Test("the CWRU manifest labels map to the seven classes")
    func classes() {
        #expect(IndustrialQA.diagnosisClass(label: "inner_race", faultEnd: "fan_end") == IndustrialQA.iri("FanEndInnerRaceFault"))
        #expect(IndustrialQA.diagnosisClass(label: "normal", faultEnd: "") == IndustrialQA.classes[0])
        #expect(IndustrialQA.diagnosisClass(label: "cage", faultEnd: "drive_end") == nil)
        #expect(Set(IndustrialQA.classes).count == 7)
    }
}
