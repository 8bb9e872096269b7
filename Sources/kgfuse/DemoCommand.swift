import ArgumentParser
import Diagnosis
import Foundation
import KnowledgeStore
import Tensor

/// `kgfuse demo`: the main job on the embedded default — load the industrial QA pack and diagnose real recordings.
struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Load the industrial QA pack and diagnose real bearing recordings shipped in Data/, with explanations.",
        discussion: """
            Creates (or reuses) a store, loads Ontologies/industrial-qa.owl, and diagnoses each recording of \
            Data/industrial-qa-samples with the shipped model (Data/industrial-qa-model, trained by the command in \
            the README). Each diagnosis is explained, written to the audit log and saved as an HTML page; the audit \
            log is verified at the end.
            """)

    @Option(help: ArgumentHelp("The SQLite store the demo creates or reuses.", valueName: "DB"))
    var store = "kgfuse-demo.sqlite"

    @Option(help: ArgumentHelp("Where to write one HTML report per case.", valueName: "DIR"))
    var htmlDirectory = "kgfuse-demo-reports"

    @Flag(help: "Print each report as JSON instead of text.")
    var json = false

    func run() throws {
        BLAS.setThreadCount(1)
        let pack = try PackFiles.locate(IndustrialQA.name)
        let knowledgeStore: KnowledgeStore
        do { knowledgeStore = try KnowledgeStore(path: store) } catch { throw ValidationError("\(error)") }
        if try pack.ensureLoaded(in: knowledgeStore) {
            let graph = try knowledgeStore.graph(iri: pack.graphIRI)
            print("loaded \(pack.ontologyPath) into \(store): \(graph?.triples ?? 0) triples in graph <\(pack.graphIRI)>")
        } else {
            print("\(store) already holds the pack's ontology (same sha256)")
        }
        let engine = try DiagnosisEngine(store: knowledgeStore, pack: pack, modelDirectory: pack.modelDirectory)
        print("model: \(pack.modelDirectory) (fused, trained on motor load \(engine.manifest.trainingLoads.map(String.init).joined(separator: ",")); "
              + "sha256 \(engine.model.sha256.prefix(12)))")
        let samples = try BearingDataset(folder: pack.samplesDirectory)
        try FileManager.default.createDirectory(atPath: htmlDirectory, withIntermediateDirectories: true)
        var correct = 0
        for recording in samples.recordings {
            var signals: [String: SignalInput] = [:]
            for channel in recording.channels {
                signals[channel] = try SignalInput.read(path: samples.signalPath(recording, channel: channel), rawSampleRate: recording.sampleRate)
            }
            let report = try engine.diagnose(DiagnosisInput(caseID: recording.name, signals: signals, rpm: recording.rpm))
            let page = (htmlDirectory as NSString).appendingPathComponent("\(recording.name).html")
            try report.html.write(toFile: page, atomically: true, encoding: .utf8)
            let truth = engine.knowledge.label(recording.diagnosis)
            let right = report.answer.diagnosis.value == recording.diagnosis.value
            if right { correct += 1 }
            print("")
            print(String(repeating: "─", count: 100))
            print(json ? try report.json(pretty: true) : report.text)
            print("  recorded condition: \(truth) (motor load \(recording.motorLoad) hp) → \(right ? "correct" : "WRONG") · report: \(page)")
        }
        print("")
        print("\(correct) of \(samples.recordings.count) sample recordings diagnosed correctly")
        print("audit log: \(try knowledgeStore.verifyAuditLog()) — query it with: kgfuse audit --store \(store)")
    }
}
