import Diagnosis
import Foundation
import KnowledgeStore
import RDF
import Rules
import Signals
import Testing
import TestSupport

/// The diagnosis pipeline end to end on real recordings with the shipped model (Data/industrial-qa-model):
/// features, entity links, the fused model, the rule post-check, the explanation and the audit log.
@Suite("Diagnosis pipeline", .serialized)
struct DiagnosisPipelineTests {
    static let pack = PackFiles(name: IndustrialQA.name, root: TestPaths.repositoryRoot)

    /// A fresh store in a temporary folder and an engine over it.
    static func engine(_ label: String) throws -> (DiagnosisEngine, KnowledgeStore) {
        let folder = TestPaths.temporaryDirectory(label)
        let store = try KnowledgeStore(path: folder.appendingPathComponent("store.sqlite").path)
        return (try DiagnosisEngine(store: store, pack: pack, modelDirectory: pack.modelDirectory), store)
    }

    /// The shipped sample `record` as a diagnosis input.
    static func sample(_ record: String) throws -> (DiagnosisInput, BearingDataset.Recording) {
        let samples = try BearingDataset(folder: pack.samplesDirectory)
        let recording = try #require(samples.recordings.first { $0.name == record })
        var signals: [String: SignalInput] = [:]
        for channel in recording.channels {
            signals[channel] = try SignalInput.read(path: samples.signalPath(recording, channel: channel), rawSampleRate: recording.sampleRate)
        }
        return (DiagnosisInput(caseID: record, signals: signals, rpm: recording.rpm), recording)
    }

    static func asserted(_ store: KnowledgeStore) throws -> [String] {
        let box = Lines()
        try store.forEachTriple(includeInferred: false) { box.append(NTriplesWriter.line($0)) }
        return box.lines.sorted()
    }

    @Test("a drive-end inner-race recording at load 1 is diagnosed, explained and written to the audit log")
    func explainedDiagnosis() throws {
        let (engine, store) = try Self.engine("diagnose-x106")
        let before = try Self.asserted(store)
        let (input, _) = try Self.sample("X106")
        let report = try engine.diagnose(input)
        #expect(report.answer.diagnosis.value == IndustrialQA.iri("DriveEndInnerRaceFault").value)
        #expect(report.answer.status == "confirmed")
        #expect(report.answer.probability > 0.5)
        // Calibrated probabilities over the seven classes sum to 1, ranked in order.
        #expect(report.ranking.count == 7)
        #expect(abs(report.ranking.map(\.probability).reduce(0, +) - 1) < 1e-4)
        #expect(zip(report.ranking, report.ranking.dropFirst()).allSatisfy { $0.probability >= $1.probability })
        // Gate weights: one per modality group, summing to 1.
        #expect(Set(report.gate.keys) == ["drive_end", "fan_end", "spectrogram", "knowledge_graph"])
        #expect(abs(report.gate.values.reduce(0, +) - 1) < 1e-4)
        // The drive-end BPFI peak is linked as a KG token, with its prominence, and the rules found it too.
        let bpfi = try #require(report.knowledgeTokens.first { $0.entity.value == IndustrialQA.iri("driveEndBPFI").value })
        #expect(bpfi.link.kind == .peak && (bpfi.link.peakRatio ?? 0) >= IndustrialQA.evidenceThreshold)
        #expect(abs((bpfi.link.expectedHz ?? 0) - 1772.0 / 60 * 5.4152) < 0.01)
        let requirement = try #require(report.firings.first {
            $0.rule == "iqa-fault-requires-envelope-peak" && $0.bindings["k"]?.value == report.answer.diagnosis.value
        })
        #expect(requirement.satisfied == true)
        #expect(requirement.premises.contains { $0.fromOntology && $0.predicate.label == "evidenced by" })
        #expect(report.graphFacts.contains { $0.subject.label == "drive-end BPFI" && $0.object.label == "drive-end bearing" })
        #expect(report.answer.urgency != nil)
        // The audit log holds the run, tied to the input, the model, the ontology and the rule set.
        let runID = try #require(report.provenance.auditRun)
        let run = try #require(try store.runs(id: runID).first)
        #expect(run.run.kind == "diagnose")
        #expect(run.run.caseSHA256 == report.input.sha256)
        #expect(run.run.modelSHA256 == engine.model.sha256)
        #expect(run.run.rulesetSHA256 == report.provenance.rulesetSHA256)
        #expect(run.run.ontology.map(\.graph) == [Self.pack.graphIRI])
        #expect(try store.firings(run: runID).count == report.firings.count)
        #expect(try store.verifyAuditLog().isIntact)
        // The overlay wrote nothing to the ontology's graphs (the pack graph was loaded before `before`).
        #expect(try Self.asserted(store) == before)
        // The JSON form carries the same answer.
        let json = try JSONSerialization.jsonObject(with: Data(try report.json().utf8)) as? [String: Any]
        #expect(((json?["answer"] as? [String: Any])?["class"] as? [String: Any])?["value"] as? String == report.answer.diagnosis.value)
    }

    @Test("a fan-end fault asserted for a drive-end inner-race recording is vetoed by the drive-end BPFI peak")
    func vetoOnRealEvidence() throws {
        let (engine, _) = try Self.engine("diagnose-veto")
        let (input, _) = try Self.sample("X106")
        let prepared = engine.builder.prepare(window: try engine.window(of: input), rpm: input.rpm, label: nil)
        let fanEndInner = try #require(IndustrialQA.classes.firstIndex(of: IndustrialQA.iri("FanEndInnerRaceFault")))
        let driveEndInner = try #require(IndustrialQA.classes.firstIndex(of: IndustrialQA.iri("DriveEndInnerRaceFault")))
        var probabilities = [Float](repeating: 0.01, count: 7)
        probabilities[fanEndInner] = 0.8
        probabilities[driveEndInner] = 0.15
        let check = try engine.postCheck(prepared, probabilities: probabilities, caseID: "veto", rpm: input.rpm, faultDiameterMil: nil)
        #expect(check.vetoes[fanEndInner] == ["iqa-veto-fault-at-other-bearing"])
        #expect(check.vetoes[driveEndInner] == nil)
        #expect(check.decided == driveEndInner)
        #expect(check.status == "overruled")
        #expect(check.checkedProbabilities[fanEndInner] == 0)
        #expect(abs(check.checkedProbabilities.reduce(0, +) - 1) < 1e-5)
    }

    @Test("editing a logged diagnosis in SQLite is caught by verify, which names that run")
    func tamperedDiagnosis() throws {
        let (engine, store) = try Self.engine("diagnose-tamper")
        let first = try engine.diagnose(try Self.sample("X106").0)
        let second = try engine.diagnose(try Self.sample("X131").0)
        #expect(try store.verifyAuditLog().isIntact)
        let secondRun = try #require(second.provenance.auditRun)
        let edit = try SQLiteShell.run(store.path, """
            DROP TRIGGER runs_append_only_update;
            UPDATE runs SET output = replace(output, 'confirmed', 'overruled') WHERE id = \(secondRun);
            """)
        #expect(edit.status == 0)
        let verdict = try store.verifyAuditLog()
        #expect(!verdict.isIntact)
        #expect(verdict.description.contains("run \(secondRun)"))
        #expect(first.provenance.auditRun != secondRun)
    }

    @Test("bad input is refused with the file or option named, and the store is unchanged")
    func badInput() throws {
        let (engine, store) = try Self.engine("diagnose-bad")
        let before = try Self.asserted(store)
        let runsBefore = try store.runs().count
        var (input, _) = try Self.sample("X106")
        input.windowStartSeconds = 0.5
        #expect { try engine.diagnose(input) } throws: { "\($0)".contains("X106_") && "\($0)".contains("from 0.5 s") }
        var unknown = try Self.sample("X106").0
        unknown.signals["XX"] = unknown.signals["DE"]
        #expect { try engine.diagnose(unknown) } throws: { "\($0)".contains("unknown channel") }
        var noSpeed = try Self.sample("X106").0
        noSpeed.rpm = 0
        #expect { try engine.diagnose(noSpeed) } throws: { "\($0)".contains("--rpm") }
        let folder = TestPaths.temporaryDirectory("diagnose-bad-manifest")
        try "record,label\nX1,ball\n".write(to: folder.appendingPathComponent("manifest.csv"), atomically: true, encoding: .utf8)
        #expect { try BearingDataset(folder: folder.path) } throws: { "\($0)".contains("manifest.csv:1: missing column fault_end") }
        try "record,label,fault_diameter_mil,motor_load_hp,rpm,fs_hz,channels,fault_end\nX1,cage,7,0,1797,12000,DE,drive_end\n"
            .write(to: folder.appendingPathComponent("manifest.csv"), atomically: true, encoding: .utf8)
        #expect { try BearingDataset(folder: folder.path) } throws: { "\($0)".contains("manifest.csv:2: column 2 (label)") }
        #expect(try Self.asserted(store) == before)
        #expect(try store.runs().count == runsBefore)
    }

    @Test("a mono float WAV at 48 kHz is resampled to the features' rate and diagnosed like the raw file; stereo is refused")
    func wavInput() throws {
        let (engine, _) = try Self.engine("diagnose-wav")
        engine.writesAuditLog = false
        let (raw, _) = try Self.sample("X106")
        let folder = TestPaths.temporaryDirectory("diagnose-wav-files")
        var signals: [String: SignalInput] = [:]
        for (channel, input) in raw.signals {
            let url = folder.appendingPathComponent("\(channel).wav")
            // 12 kHz → 48 kHz by the library's resampler, written as float WAV; the pipeline resamples it back.
            try Resampler(from: 12_000, to: 48_000).resample(AudioSignal(mono: input.samples, sampleRate: 12_000))
                .writeWAV(to: url, format: .float32)
            signals[channel] = try SignalInput.read(path: url.path, rawSampleRate: 1)
            #expect(signals[channel]?.sampleRate == 48_000)
        }
        let fromWAV = try engine.diagnose(DiagnosisInput(caseID: "wav", signals: signals, rpm: raw.rpm))
        let fromRaw = try engine.diagnose(raw)
        #expect(fromWAV.answer.diagnosis == fromRaw.answer.diagnosis)
        #expect(fromWAV.knowledgeTokens.map(\.entity.value) == fromRaw.knowledgeTokens.map(\.entity.value))
        let stereo = folder.appendingPathComponent("stereo.wav")
        try AudioSignal(channels: [raw.signals["DE"]!.samples, raw.signals["FE"]!.samples], sampleRate: 12_000).writeWAV(to: stereo)
        #expect { try SignalInput.read(path: stereo.path, rawSampleRate: 12_000) } throws: { "\($0)".contains("2 channels") }
    }

    @Test("the HTML report is one self-contained page: no scripts, no external resources, text escaped")
    func htmlReport() throws {
        let (engine, _) = try Self.engine("diagnose-html")
        var (input, _) = try Self.sample("X131")
        input.caseID = "<b>&case"
        engine.writesAuditLog = false
        let html = try engine.diagnose(input).html
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(!html.contains("<script") && !html.contains("http://") && !html.contains("src="))
        #expect(html.contains("&lt;b&gt;&amp;case") && !html.contains("<b>&case"))
        #expect(html.components(separatedBy: "<section").count == html.components(separatedBy: "</section>").count)
    }
}

/// Collects lines from the store's reader.
final class Lines: @unchecked Sendable {
    private(set) var lines: [String] = []
    func append(_ line: String) { lines.append(line) }
}
