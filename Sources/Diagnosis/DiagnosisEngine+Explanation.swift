import Foundation
import Hashing
import RDF
import Rules

extension DiagnosisEngine {
    /// sha256 of a case's inputs: one line per channel (sorted) "channel sha256 rate", then the rpm, the defect size
    /// and the window start.
    public static func inputSHA256(_ input: DiagnosisInput) -> String {
        var lines = input.signals.keys.sorted().map { "\($0) \(input.signals[$0]!.sha256) \(input.signals[$0]!.sampleRate)" }
        lines.append("rpm \(input.rpm)")
        lines.append("fault_diameter_mil \(input.faultDiameterMil.map { String($0) } ?? "-")")
        lines.append("window_start_s \(input.windowStartSeconds)")
        return SHA256.hex(of: lines.joined(separator: "\n"))
    }

    /// Builds the report of a checked case (without the audit run id and timings, which `diagnose` fills in).
    func explain(input: DiagnosisInput, prepared: PreparedBearingCase, probabilities: [Float], gates: [Float],
                 attention: [Float], check: PostCheck) throws -> DiagnosisReport {
        let order = probabilities.indices.sorted { probabilities[$0] > probabilities[$1] }
        let ranking = order.enumerated().map { position, index in
            DiagnosisReport.RankedClass(rank: position + 1, diagnosis: labelled(.iri(IndustrialQA.classes[index])),
                                        probability: probabilities[index], checkedProbability: check.checkedProbabilities[index],
                                        checked: true, vetoedBy: check.vetoes[index] ?? [], requirementMet: check.requirements[index])
        }
        let severity = check.severities[check.decided]?.first.map(labelled)
        // The most urgent of the derived urgencies: inspect > stop soon > plan maintenance > routine.
        let urgencies = check.urgencies[check.decided] ?? []
        let priority = ["urgencyInspect", "urgencyStopSoon", "urgencyPlanMaintenance", "urgencyRoutine"].map { Term.iri(IndustrialQA.iri($0)) }
        let urgency = (priority.first(where: urgencies.contains) ?? urgencies.first).map(labelled)
        let answer = DiagnosisReport.Answer(
            diagnosis: labelled(.iri(IndustrialQA.classes[check.decided])), probability: probabilities[check.decided],
            checkedProbability: check.checkedProbabilities[check.decided], status: check.status,
            severity: severity, urgency: urgency)
        let groups = model.model.configuration.gateGroupNames
        var gate: [String: Float] = [:]
        for (index, name) in groups.enumerated() where index < gates.count { gate[name] = gates[index] }
        let tokens = prepared.links.enumerated().map { slot, link in
            DiagnosisReport.KnowledgeToken(entity: labelled(.iri(IRI(link.entity))), link: link,
                                           attention: slot < attention.count ? attention[slot] : 0)
        }
        let caseFacts = Set(check.caseTriples)
        var graphFacts: [LabelledTriple] = []
        var seen = Set<Triple>()
        let firings = check.overlay.firings.map { firing -> DiagnosisReport.FiringExplanation in
            for premise in firing.premises where overlay.isKnowledge(premise) && seen.insert(premise).inserted {
                graphFacts.append(labelled(premise, caseFacts: caseFacts))
            }
            return DiagnosisReport.FiringExplanation(
                rule: firing.ruleID, description: overlay.rulesByID[firing.ruleID]?.description,
                action: firing.isInconsistency ? "inconsistency" : firing.action.rawValue, severity: firing.severity.rawValue,
                bindings: firing.bindings.mapValues(labelled), premises: firing.premises.map { labelled($0, caseFacts: caseFacts) },
                conclusion: firing.conclusion.map { labelled($0, caseFacts: caseFacts) }, satisfied: firing.satisfied)
        }
        let input = DiagnosisReport.CaseInput(
            id: input.caseID, sha256: Self.inputSHA256(input), rpm: input.rpm, faultDiameterMil: input.faultDiameterMil,
            signals: input.signals.mapValues { DiagnosisReport.SignalSource(file: $0.file, sha256: $0.sha256, sampleRate: $0.sampleRate) },
            windowStartSeconds: input.windowStartSeconds,
            windowSeconds: Double(BearingFeatures.windowLength) / Double(BearingFeatures.sampleRate))
        let provenance = DiagnosisReport.Provenance(
            modelSHA256: model.sha256, temperature: model.temperature,
            ontology: Dictionary(overlay.ontology.map { ($0.graph, $0.sha256 ?? "") }, uniquingKeysWith: { first, _ in first }),
            rulesetSHA256: overlay.rulesetSHA256, auditRun: nil)
        return DiagnosisReport(input: input, answer: answer, ranking: ranking, gate: gate, knowledgeTokens: tokens,
                               graphFacts: graphFacts, firings: firings, provenance: provenance, timingMilliseconds: [:])
    }

    /// A term with its label: the ontology's rdfs:label, a readable name for case and prediction IRIs, the lexical
    /// form of a literal.
    func labelled(_ term: Term) -> LabelledTerm {
        switch term {
        case .iri(let iri):
            if let label = knowledge.labels[iri] { return LabelledTerm(value: iri.value, label: label, isLiteral: false) }
            if iri.value.hasPrefix("urn:kgfuse:case:") {
                let rest = String(iri.value.dropFirst("urn:kgfuse:case:".count))
                let parts = rest.split(separator: "#", maxSplits: 1)
                let caseName = parts.first.map { $0.removingPercentEncoding ?? String($0) } ?? rest
                let label = parts.count > 1 ? "\(caseName) \(parts[1].replacingOccurrences(of: "prediction", with: "prediction "))" : "case \(caseName)"
                return LabelledTerm(value: iri.value, label: label, isLiteral: false)
            }
            return LabelledTerm(value: iri.value, label: knowledge.label(iri), isLiteral: false)
        case .blank(let node):
            return LabelledTerm(value: "_:\(node.id)", label: "_:\(node.id)", isLiteral: false)
        case .literal(let literal):
            return LabelledTerm(value: literal.lexicalForm, label: literal.lexicalForm, isLiteral: true)
        }
    }

    /// A triple with labels, marked as ontology fact or not.
    func labelled(_ triple: Triple, caseFacts: Set<Triple>) -> LabelledTriple {
        LabelledTriple(subject: labelled(triple.subject), predicate: labelled(triple.predicate), object: labelled(triple.object),
                       fromOntology: !caseFacts.contains(triple) && overlay.isKnowledge(triple))
    }
}
