import Foundation
import Fusion
import Hashing
import KnowledgeStore
import RDF
import Rules
import Signals
import Tensor

/// One accelerometer's recording, as given to a diagnosis.
public struct SignalInput: Sendable {
    /// The samples (one channel).
    public var samples: [Float]
    /// Samples per second.
    public var sampleRate: Int
    /// Where they came from (for the report).
    public var file: String
    /// sha256 of the file's bytes.
    public var sha256: String

    /// Creates an input.
    public init(samples: [Float], sampleRate: Int, file: String, sha256: String) {
        self.samples = samples
        self.sampleRate = sampleRate
        self.file = file
        self.sha256 = sha256
    }
}

/// A case to diagnose: signals per channel (DE, FE, BA), the shaft speed, optionally the defect size, and which
/// window of the signals to read.
public struct DiagnosisInput: Sendable {
    /// A name for the case (the overlay's case IRI is `urn:kgfuse:case:<id>`).
    public var caseID: String
    /// Signals by channel name.
    public var signals: [String: SignalInput]
    /// Shaft speed in rpm.
    public var rpm: Double
    /// Seeded defect diameter in mil, when known (the rules then derive severity from it).
    public var faultDiameterMil: Double?
    /// Start of the window diagnosed, in seconds.
    public var windowStartSeconds: Double

    /// Creates an input.
    public init(caseID: String, signals: [String: SignalInput], rpm: Double, faultDiameterMil: Double? = nil,
                windowStartSeconds: Double = 0) {
        self.caseID = caseID
        self.signals = signals
        self.rpm = rpm
        self.faultDiameterMil = faultDiameterMil
        self.windowStartSeconds = windowStartSeconds
    }
}

/// What the rule post-check decided about one case's predictions.
public struct PostCheck: Sendable {
    /// Per class index: the ids of the rules that vetoed it.
    public var vetoes: [Int: [String]]
    /// Per class index: whether its requirement held (absent when no requirement applied).
    public var requirements: [Int: Bool]
    /// The decided class index: the most probable class not vetoed (the model's top class when all are vetoed).
    public var decided: Int
    /// confirmed, unsupported, overruled or all_vetoed (see `DiagnosisReport.Answer.status`).
    public var status: String
    /// Probabilities after the check: vetoed classes 0, the rest renormalised.
    public var checkedProbabilities: [Float]
    /// The overlay's firings and derived facts.
    public var overlay: OverlayResult
    /// Per class index: the severities and urgencies the rules derived for its prediction.
    public var severities: [Int: [Term]], urgencies: [Int: [Term]]
    /// The facts asserted for the case.
    public var caseTriples: [Triple]
}

/// The diagnosis pipeline of a pack: encode → link → fuse → predict → assert in a scratch overlay → rules → decide →
/// explain → audit.
///
/// Built once (it reads the pack's graph, model and rules) and used case after case. Not thread-safe: the pack's
/// built-ins read the case being checked.
public final class DiagnosisEngine {
    /// The pack's files.
    public let pack: PackFiles
    /// The pack's facts.
    public let knowledge: IndustrialQAKnowledge
    /// The case builder (features and entity links).
    public let builder: BearingCaseBuilder
    /// The fused model.
    public let model: LoadedPackModel
    /// The model folder's manifest.
    public let manifest: PackModelManifest
    /// The prepared post-check.
    public let overlay: CaseOverlay
    /// Write each diagnosis to the audit log (on by default).
    public var writesAuditLog = true

    let store: KnowledgeStore
    let evidence = CaseEvidence()
    let vocabulary = PackVocabulary()

    /// Prepares the pipeline: loads the pack's ontology into `store` if absent, reads the model in `modelDirectory`
    /// (variant `variant`) and parses the rules.
    public init(store: KnowledgeStore, pack: PackFiles, modelDirectory: String, variant: PackModelVariant = .fused) throws {
        self.store = store
        self.pack = pack
        try pack.ensureLoaded(in: store)
        knowledge = try IndustrialQAKnowledge(store: store, graphIRI: pack.graphIRI)
        manifest = try PackModelManifest.read(directory: modelDirectory)
        builder = BearingCaseBuilder(knowledge: knowledge, entities: manifest.entities.map(IRI.init))
        model = try LoadedPackModel(directory: modelDirectory, variant: variant)
        let (rules, builtIns) = try pack.rules(evidence: evidence)
        overlay = try CaseOverlay(store: store, graphIRIs: [pack.graphIRI], rules: rules, builtIns: builtIns)
    }

    /// The window of `input` the model reads, resampled to the features' rate; fails naming the channel when a
    /// signal is too short.
    public func window(of input: DiagnosisInput) throws -> [String: [Float]] {
        guard input.rpm > 0, input.rpm.isFinite else { throw DiagnosisError("--rpm: must be a positive number (got \(input.rpm))") }
        guard input.signals["DE"] != nil || input.signals["FE"] != nil else {
            throw DiagnosisError("--signal: give at least the DE or the FE accelerometer")
        }
        var window: [String: [Float]] = [:]
        for (channel, signal) in input.signals {
            guard IndustrialQA.sensors[channel] != nil else {
                throw DiagnosisError("--signal \(channel)=…: unknown channel (known: DE, FE, BA)")
            }
            var samples = signal.samples
            if signal.sampleRate != BearingFeatures.sampleRate {
                samples = Resampler(from: signal.sampleRate, to: BearingFeatures.sampleRate).resample(samples)
            }
            let start = Int((input.windowStartSeconds * Double(BearingFeatures.sampleRate)).rounded())
            guard start >= 0, start + BearingFeatures.windowLength <= samples.count else {
                let seconds = Double(samples.count) / Double(BearingFeatures.sampleRate)
                throw DiagnosisError("\(signal.file): \(String(format: "%.2f", seconds)) s of signal; the window needs "
                    + "\(String(format: "%.2f", Double(BearingFeatures.windowLength) / Double(BearingFeatures.sampleRate))) s "
                    + "from \(input.windowStartSeconds) s")
            }
            window[channel] = Array(samples[start..<(start + BearingFeatures.windowLength)])
        }
        return window
    }

    /// Diagnoses one case and explains it; writes an audit-log run unless `writesAuditLog` is off.
    public func diagnose(_ input: DiagnosisInput) throws -> DiagnosisReport {
        let clock = ContinuousClock()
        let started = clock.now
        let prepared = builder.prepare(window: try window(of: input), rpm: input.rpm, label: nil, group: input.caseID)
        let featuresDone = clock.now
        let forward = try model.model.explain([prepared.fusionCase])[0]
        let probabilities = Calibration.probabilities(logits: [forward.logits], temperature: model.temperature)[0]
        let modelDone = clock.now
        let check = try postCheck(prepared, probabilities: probabilities, caseID: input.caseID, rpm: input.rpm,
                                  faultDiameterMil: input.faultDiameterMil)
        let rulesDone = clock.now
        var report = try explain(input: input, prepared: prepared, probabilities: probabilities, gates: forward.gateWeights,
                                 attention: forward.knowledgeAttention, check: check)
        let explained = clock.now
        var encoded = explained
        if writesAuditLog {
            let output = try report.auditOutput()
            encoded = clock.now
            let run = AuditRun(kind: "diagnose", caseSHA256: report.input.sha256, modelSHA256: model.sha256,
                               ontology: overlay.ontology, rulesetSHA256: overlay.rulesetSHA256, output: output)
            report.provenance.auditRun = try store.appendRun(run, firings: check.overlay.firings.map(CaseOverlay.auditRecord))
        }
        let finished = clock.now
        report.timingMilliseconds = ["features": (featuresDone - started).milliseconds, "model": (modelDone - featuresDone).milliseconds,
                                     "rules": (rulesDone - modelDone).milliseconds, "explain": (explained - rulesDone).milliseconds,
                                     "audit_json": (encoded - explained).milliseconds, "audit_write": (finished - encoded).milliseconds,
                                     "total": (finished - started).milliseconds]
        return report
    }

    /// Runs the rules on a prepared case with every class asserted as a ranked prediction, and decides.
    public func postCheck(_ prepared: PreparedBearingCase, probabilities: [Float], caseID: String, rpm: Double,
                          faultDiameterMil: Double?) throws -> PostCheck {
        let caseTerm = vocabulary.caseTerm(caseID)
        let order = probabilities.indices.sorted { probabilities[$0] > probabilities[$1] }
        var triples = [Triple(caseTerm, vocabulary.type, vocabulary.caseClass),
                       Triple(caseTerm, vocabulary.shaftSpeed, .literal(Literal(String(rpm), datatype: Vocabulary.XSD.decimal)))]
        if let faultDiameterMil {
            triples.append(Triple(caseTerm, vocabulary.faultDiameter, .literal(Literal(String(faultDiameterMil), datatype: Vocabulary.XSD.decimal))))
        }
        var predictionClass: [Term: Int] = [:]
        for (position, classIndex) in order.enumerated() {
            let prediction = vocabulary.predictionTerm(caseID, rank: position + 1)
            predictionClass[prediction] = classIndex
            triples += [Triple(prediction, vocabulary.type, vocabulary.predictionClass),
                        Triple(prediction, vocabulary.ofCase, caseTerm),
                        Triple(prediction, vocabulary.predictedClass, .iri(IndustrialQA.classes[classIndex])),
                        Triple(prediction, vocabulary.probability,
                               .literal(Literal(String(format: "%.6f", probabilities[classIndex]), datatype: Vocabulary.XSD.decimal))),
                        Triple(prediction, vocabulary.rank, .literal(Literal(String(position + 1), datatype: Vocabulary.XSD.integer)))]
        }
        evidence.set(prepared.evidence)
        defer { evidence.set(nil) }
        let (result, reasoner) = try overlay.run(caseTriples: triples)
        var vetoes: [Int: [String]] = [:]
        var requirements: [Int: Bool] = [:]
        for firing in result.firings {
            let subjects = firing.conclusion.map(\.subject) + firing.bindings.values
            guard let classIndex = subjects.lazy.compactMap({ predictionClass[$0] }).first else { continue }
            switch firing.action {
            case .veto: vetoes[classIndex, default: []].append(firing.ruleID)
            case .require: requirements[classIndex] = (requirements[classIndex] ?? true) && (firing.satisfied ?? false)
            default: break
            }
        }
        let allowed = order.filter { vetoes[$0] == nil }
        let decided = allowed.first ?? order[0]
        let status: String
        if allowed.isEmpty { status = "all_vetoed" }
        else if decided != order[0] { status = "overruled" }
        else if requirements[decided] == false { status = "unsupported" }
        else { status = "confirmed" }
        let remaining = allowed.reduce(Float(0)) { $0 + probabilities[$1] }
        let checked = probabilities.indices.map { index -> Float in
            allowed.isEmpty ? probabilities[index] : (vetoes[index] == nil && remaining > 0 ? probabilities[index] / remaining : 0)
        }
        var severities: [Int: [Term]] = [:], urgencies: [Int: [Term]] = [:]
        for (prediction, classIndex) in predictionClass {
            severities[classIndex] = reasoner.triples(subject: prediction, predicate: vocabulary.hasSeverity).map(\.object)
            urgencies[classIndex] = reasoner.triples(subject: prediction, predicate: vocabulary.hasUrgency).map(\.object)
        }
        return PostCheck(vetoes: vetoes, requirements: requirements, decided: decided, status: status,
                         checkedProbabilities: checked, overlay: result, severities: severities, urgencies: urgencies,
                         caseTriples: triples)
    }
}

/// The pack's vocabulary as terms, built once.
struct PackVocabulary {
    let type = Term.iri(Vocabulary.RDF.type)
    let caseClass = Term.iri(IndustrialQA.iri("Case"))
    let predictionClass = Term.iri(IndustrialQA.iri("Prediction"))
    let shaftSpeed = Term.iri(IndustrialQA.iri("shaftSpeedRPM"))
    let faultDiameter = Term.iri(IndustrialQA.iri("faultDiameterMil"))
    let ofCase = Term.iri(IndustrialQA.iri("ofCase"))
    let predictedClass = Term.iri(IndustrialQA.iri("predictedClass"))
    let probability = Term.iri(IndustrialQA.iri("probability"))
    let rank = Term.iri(IndustrialQA.iri("rank"))
    let hasSeverity = Term.iri(IndustrialQA.iri("hasSeverity"))
    let hasUrgency = Term.iri(IndustrialQA.iri("hasUrgency"))

    /// `urn:kgfuse:case:<id>` with the id percent-encoded.
    func caseTerm(_ id: String) -> Term {
        .iri(IRI("urn:kgfuse:case:" + (id.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "case")))
    }

    /// `<case>#prediction<rank>`.
    func predictionTerm(_ id: String, rank: Int) -> Term {
        guard case .iri(let caseIRI) = caseTerm(id) else { return caseTerm(id) }
        return .iri(IRI(caseIRI.value + "#prediction\(rank)"))
    }
}

extension Duration {
    /// The duration in milliseconds.
    var milliseconds: Double { Double(components.seconds) * 1000 + Double(components.attoseconds) / 1e15 }
}

extension SignalInput {
    /// Reads one accelerometer from a file: `.wav` (PCM or float; must be mono) at its own rate, anything else as
    /// raw little-endian float32 at `rawSampleRate` (the format of the CWRU signals).
    public static func read(path: String, rawSampleRate: Int) throws -> SignalInput {
        guard let data = FileManager.default.contents(atPath: path) else { throw DiagnosisError("\(path): cannot read file") }
        let sha256 = data.withUnsafeBytes { SHA256.hex(of: $0) }
        let signal: AudioSignal
        do {
            if path.lowercased().hasSuffix(".wav") {
                signal = try AudioSignal.decodeWAV(data, file: path)
                guard signal.channels.count == 1 else {
                    throw DiagnosisError("\(path): \(signal.channels.count) channels; give one accelerometer per file")
                }
            } else {
                signal = try AudioSignal.readRawFloat32(from: URL(fileURLWithPath: path), sampleRate: rawSampleRate)
            }
        } catch let error as DiagnosisError {
            throw error
        } catch {
            throw DiagnosisError("\(error)")
        }
        return SignalInput(samples: signal.channels[0], sampleRate: signal.sampleRate, file: path, sha256: sha256)
    }
}
