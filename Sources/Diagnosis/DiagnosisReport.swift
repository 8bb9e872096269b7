import Foundation

/// An RDF term in an explanation: its IRI (or literal text) and a label a person can read.
public struct LabelledTerm: Codable, Sendable, Equatable {
    /// The IRI, or the literal's lexical form.
    public var value: String
    /// The rdfs:label (or a compact name; the lexical form for a literal).
    public var label: String
    /// True for a literal.
    public var isLiteral: Bool

    enum CodingKeys: String, CodingKey { case value, label, isLiteral = "literal" }
}

/// A triple with each term labelled.
public struct LabelledTriple: Codable, Sendable, Equatable {
    /// Subject, predicate and object.
    public var subject: LabelledTerm, predicate: LabelledTerm, object: LabelledTerm
    /// True when the triple comes from the ontology, false when it is a case fact or was derived in the run.
    public var fromOntology: Bool

    enum CodingKeys: String, CodingKey { case subject, predicate, object, fromOntology = "from_ontology" }

    /// "subject predicate object" in labels.
    public var sentence: String { "\(subject.label) \(predicate.label) \(object.label)" }
}

/// Everything `kgfuse diagnose` found for one case: the answer and the evidence behind it.
public struct DiagnosisReport: Codable, Sendable {
    /// The case's input.
    public struct CaseInput: Codable, Sendable {
        /// The case id (in the overlay: `urn:kgfuse:case:<id>`).
        public var id: String
        /// sha256 over the inputs (each signal file's sha256, the rpm, the window).
        public var sha256: String
        /// Shaft speed (rpm).
        public var rpm: Double
        /// The seeded defect diameter (mil) when stated.
        public var faultDiameterMil: Double?
        /// Per channel: the file and its sha256.
        public var signals: [String: SignalSource]
        /// The window diagnosed: its start (s) and length (s).
        public var windowStartSeconds: Double, windowSeconds: Double

        enum CodingKeys: String, CodingKey {
            case id, sha256, rpm, signals, faultDiameterMil = "fault_diameter_mil", windowStartSeconds = "window_start_s",
                 windowSeconds = "window_s"
        }
    }
    /// A signal's source.
    public struct SignalSource: Codable, Sendable {
        /// The file path.
        public var file: String
        /// The file's sha256.
        public var sha256: String
        /// The file's sample rate (Hz).
        public var sampleRate: Int

        enum CodingKeys: String, CodingKey { case file, sha256, sampleRate = "sample_rate" }
    }
    /// One class in the ranking.
    public struct RankedClass: Codable, Sendable {
        /// 1-based rank by calibrated probability.
        public var rank: Int
        /// The diagnosis class.
        public var diagnosis: LabelledTerm
        /// Calibrated probability softmax(logits / T).
        public var probability: Float
        /// The probability after the post-check: vetoed classes set to 0, the rest renormalised.
        public var checkedProbability: Float
        /// True when asserted as a prediction for the post-check (the top `predictionsChecked`).
        public var checked: Bool
        /// Ids of the rules that vetoed it.
        public var vetoedBy: [String]
        /// nil when not checked or the class has no requirement; else whether its requirement held.
        public var requirementMet: Bool?

        enum CodingKeys: String, CodingKey {
            case rank, diagnosis = "class", probability, checkedProbability = "checked_probability", checked,
                 vetoedBy = "vetoed_by", requirementMet = "requirement_met"
        }
    }
    /// The decision.
    public struct Answer: Codable, Sendable {
        /// The class decided.
        public var diagnosis: LabelledTerm
        /// Its calibrated probability before the post-check.
        public var probability: Float
        /// Its probability after the post-check.
        public var checkedProbability: Float
        /// `confirmed` (the requirement held or none applies), `unsupported` (a requirement failed), `overruled`
        /// (the model's top class was vetoed and this is the best class left), or `all_vetoed`.
        public var status: String
        /// Severity and urgency derived by the rules, when any.
        public var severity: LabelledTerm?, urgency: LabelledTerm?

        enum CodingKeys: String, CodingKey {
            case diagnosis = "class", probability, checkedProbability = "checked_probability", status, severity, urgency
        }
    }
    /// A KG token: the linked entity, why, and how much the model looked at it.
    public struct KnowledgeToken: Codable, Sendable {
        /// The entity.
        public var entity: LabelledTerm
        /// The link (peak or equipment) with its measurements.
        public var link: EntityLink
        /// [CLS] attention to the token in the last layer, averaged over heads.
        public var attention: Float
    }
    /// A rule firing, with labels.
    public struct FiringExplanation: Codable, Sendable {
        /// The rule id and its description.
        public var rule: String, description: String?
        /// derive, flag, veto, require, inconsistency.
        public var action: String
        /// The rule's severity.
        public var severity: String
        /// The variable bindings.
        public var bindings: [String: LabelledTerm]
        /// The facts the firing matched.
        public var premises: [LabelledTriple]
        /// What it concluded (for require: what was required).
        public var conclusion: [LabelledTriple]
        /// For require: whether the requirement held.
        public var satisfied: Bool?
    }
    /// The versions behind the answer.
    public struct Provenance: Codable, Sendable {
        /// sha256 of the model (weights and configuration).
        public var modelSHA256: String
        /// The temperature applied.
        public var temperature: Float
        /// The ontology graphs and their sha256.
        public var ontology: [String: String]
        /// sha256 of the rule set.
        public var rulesetSHA256: String
        /// The audit-log run that recorded this diagnosis (nil when not logged).
        public var auditRun: Int64?

        enum CodingKeys: String, CodingKey {
            case modelSHA256 = "model_sha256", temperature, ontology, rulesetSHA256 = "ruleset_sha256", auditRun = "audit_run"
        }
    }

    /// The case.
    public var input: CaseInput
    /// The answer.
    public var answer: Answer
    /// Every class, by calibrated probability.
    public var ranking: [RankedClass]
    /// Gate weight per modality group (drive_end, fan_end, spectrogram, knowledge_graph); 0 for a missing one.
    public var gate: [String: Float]
    /// The KG tokens, in slot order.
    public var knowledgeTokens: [KnowledgeToken]
    /// The ontology facts the firings used.
    public var graphFacts: [LabelledTriple]
    /// The case's rule firings, in order.
    public var firings: [FiringExplanation]
    /// The versions behind the answer.
    public var provenance: Provenance
    /// Milliseconds per stage (features, model, rules, audit, total).
    public var timingMilliseconds: [String: Double]

    enum CodingKeys: String, CodingKey {
        case input = "case", answer, ranking, gate, knowledgeTokens = "kg_tokens", graphFacts = "graph_facts", firings,
             provenance, timingMilliseconds = "timing_ms"
    }

    /// What the audit log keeps as a run's output (the firings go to their own rows): the case id and sha256, the
    /// answer with its status, severity and urgency, every class's probabilities and vetoes, the gate weights and
    /// the KG tokens, as compact JSON with sorted keys.
    public func auditOutput() throws -> String {
        struct Output: Encodable {
            var caseID: String, caseSHA256: String, answer: String, status: String, severity: String?, urgency: String?
            var ranking: [[String: String]], gate: [String: Float], kgTokens: [[String: String]]
            enum CodingKeys: String, CodingKey {
                case caseID = "case", caseSHA256 = "case_sha256", answer, status, severity, urgency, ranking, gate, kgTokens = "kg_tokens"
            }
        }
        let output = Output(
            caseID: input.id, caseSHA256: input.sha256, answer: answer.diagnosis.value, status: answer.status,
            severity: answer.severity?.value, urgency: answer.urgency?.value,
            ranking: ranking.map { ["class": $0.diagnosis.value, "p": String(format: "%.6f", $0.probability),
                                    "checked_p": String(format: "%.6f", $0.checkedProbability), "vetoed_by": $0.vetoedBy.joined(separator: " ")] },
            gate: gate,
            kgTokens: knowledgeTokens.map { ["entity": $0.link.entity, "scalar": String(format: "%.4f", $0.link.scalar),
                                             "attention": String(format: "%.4f", $0.attention)] })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(output), as: UTF8.self)
    }

    /// The report as JSON (sorted keys; pretty when asked).
    public func json(pretty: Bool = false) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }
}
