import ArgumentParser
import Diagnosis
import Foundation
import Tensor

/// `kgfuse diagnose`: diagnoses one case and explains the answer.
struct Diagnose: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Diagnose a case from its sensor signals, with an explanation, and log it to the audit log.",
        discussion: """
            The pipeline: features from each accelerometer, envelope peaks at the bearings' characteristic frequencies \
            linked to ontology entities (KG tokens), the fused model's calibrated ranking, then the pack's rules in a \
            scratch overlay (nothing is written to the ontology's graphs): they require an envelope peak for a fault, \
            veto a fault whose evidence points at the other bearing, and derive severity and urgency. The answer is \
            the most probable class no rule vetoed. Every diagnosis is a run in the audit log (see `kgfuse audit`).
            Signals: raw little-endian float32 files (--sample-rate, default 12000) or mono WAV files; one window of \
            1 s is read from --window-start.
              kgfuse diagnose --pack industrial-qa --signal DE=X119_DE.f32 --signal FE=X119_FE.f32 --signal BA=X119_BA.f32 --rpm 1772
              kgfuse diagnose ... --json            # the full structure
              kgfuse diagnose ... --html report.html
            """)

    @OptionGroup var storeOptions: StoreOptions

    @Option(help: "The domain pack.")
    var pack = "industrial-qa"

    @Option(name: .customLong("signal"), help: ArgumentHelp("A sensor's signal, CHANNEL=FILE (DE, FE or BA); repeat per sensor.",
                                                             valueName: "CHANNEL=FILE"))
    var signals: [String] = []

    @Option(help: "Shaft speed in revolutions per minute.")
    var rpm: Double

    @Option(help: "Sample rate of raw .f32 signals (Hz).")
    var sampleRate = 12_000

    @Option(help: ArgumentHelp("The seeded or measured defect diameter, when known (mil); the rules then grade severity by size.",
                               valueName: "MIL"))
    var faultSize: Double?

    @Option(help: ArgumentHelp("Start of the 1 s window to diagnose (seconds).", valueName: "SECONDS"))
    var windowStart = 0.0

    @Option(help: ArgumentHelp("A name for the case (default: the first signal file's name).", valueName: "NAME"))
    var caseID: String?

    @Option(help: ArgumentHelp("The model folder (default: the pack's shipped model in Data/).", valueName: "DIR"))
    var model: String?

    @Flag(help: "Print the full report as JSON.")
    var json = false

    @Option(help: ArgumentHelp("Also write the report as an HTML page.", valueName: "FILE"))
    var html: String?

    @Flag(help: "Do not write the diagnosis to the audit log.")
    var noAudit = false

    func validate() throws {
        if signals.isEmpty { throw ValidationError("give at least one --signal CHANNEL=FILE (DE, FE, BA)") }
        for signal in signals where !signal.contains("=") {
            throw ValidationError("--signal \(signal): expected CHANNEL=FILE, e.g. DE=X119_DE.f32")
        }
    }

    func run() throws {
        BLAS.setThreadCount(1)
        let packFiles = try PackFiles.locate(pack)
        var inputs: [String: SignalInput] = [:]
        for signal in signals {
            let parts = signal.split(separator: "=", maxSplits: 1).map(String.init)
            let channel = parts[0].uppercased()
            if inputs[channel] != nil { throw ValidationError("--signal: channel \(channel) given twice") }
            inputs[channel] = try SignalInput.read(path: parts[1], rawSampleRate: sampleRate)
        }
        let firstFile = signals.first.map { String($0.split(separator: "=", maxSplits: 1)[1]) } ?? "case"
        let name = caseID ?? ((firstFile as NSString).lastPathComponent as NSString).deletingPathExtension
        let engine = try DiagnosisEngine(store: try storeOptions.open(), pack: packFiles, modelDirectory: model ?? packFiles.modelDirectory)
        engine.writesAuditLog = !noAudit
        let report = try engine.diagnose(DiagnosisInput(caseID: name, signals: inputs, rpm: rpm, faultDiameterMil: faultSize,
                                                        windowStartSeconds: windowStart))
        if let html {
            do { try report.html.write(toFile: html, atomically: true, encoding: .utf8) } catch {
                throw ValidationError("--html \(html): cannot write (\(error.localizedDescription))")
            }
        }
        print(json ? try report.json(pretty: true) : report.text)
    }
}
