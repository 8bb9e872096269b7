import Diagnosis
import Foundation
import KnowledgeStore
import Tensor

/// `kgfuse-bench diagnose`: the latency of one explained, audited diagnosis within one process.
///
/// Cases: 1 s windows of the load-1 recordings of the CWRU slice (DE, FE, BA in memory), every 0.5 s, cycled to
/// `--cases`. Each timed call is `DiagnosisEngine.diagnose`: features, entity linking, the fused model, the rule
/// post-check in a scratch overlay, the explanation and the audit-log write (one SQLite transaction). A few
/// diagnoses run first as warm-up. Prints the median, 90th percentile and maximum, and the median per stage.
struct DiagnosisBenchmark {
    var caseCount = 200
    var data = "../shared/data/cwru"
    var model: String?

    init(arguments: [String]) throws {
        var index = 0
        while index < arguments.count {
            let value = index + 1 < arguments.count ? arguments[index + 1] : ""
            switch arguments[index] {
            case "--cases": caseCount = Int(value) ?? caseCount
            case "--data": data = value
            case "--model": model = value
            default: throw DiagnosisError("kgfuse-bench diagnose: unknown option \(arguments[index])")
            }
            index += 2
        }
    }

    func run() throws {
        BLAS.setThreadCount(1)
        let pack = try PackFiles.locate(IndustrialQA.name)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kgfuse-bench-diagnose-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try KnowledgeStore(path: folder.appendingPathComponent("bench.sqlite").path)
        let engine = try DiagnosisEngine(store: store, pack: pack, modelDirectory: model ?? pack.modelDirectory)
        let dataset = try BearingDataset(folder: data)
        var inputs: [DiagnosisInput] = []
        for recording in dataset.recordings where recording.motorLoad == 1 {
            var signals: [String: SignalInput] = [:]
            for channel in recording.channels {
                signals[channel] = try SignalInput.read(path: dataset.signalPath(recording, channel: channel), rawSampleRate: recording.sampleRate)
            }
            let seconds = Double(signals.values.map(\.samples.count).min() ?? 0) / Double(recording.sampleRate)
            for start in stride(from: 0.0, through: seconds - 1, by: 0.5) {
                inputs.append(DiagnosisInput(caseID: "\(recording.name)@\(start)", signals: signals, rpm: recording.rpm, windowStartSeconds: start))
            }
        }
        guard !inputs.isEmpty else { throw DiagnosisError("\(data): no load-1 recordings") }
        for input in inputs.prefix(5) { _ = try engine.diagnose(input) }
        var totals: [Double] = []
        var stages: [String: [Double]] = [:]
        let clock = ContinuousClock()
        for index in 0..<caseCount {
            let started = clock.now
            let report = try engine.diagnose(inputs[index % inputs.count])
            let elapsed = clock.now - started
            totals.append(Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15)
            for (stage, value) in report.timingMilliseconds { stages[stage, default: []].append(value) }
        }
        func percentile(_ values: [Double], _ p: Double) -> Double {
            let sorted = values.sorted()
            return sorted[min(sorted.count - 1, Int((p * Double(sorted.count - 1)).rounded()))]
        }
        print("diagnose, one process, \(caseCount) cases (\(inputs.count) distinct windows of load-1 CWRU recordings), 1 thread:")
        print(String(format: "  per diagnosis with explanation and audit write: median %.2f ms, p90 %.2f ms, max %.2f ms",
                     percentile(totals, 0.5), percentile(totals, 0.9), totals.max() ?? 0))
        print(String(format: "  median / bar (20 ms) = %.2f; median / design target (100 ms) = %.3f", percentile(totals, 0.5) / 20,
                     percentile(totals, 0.5) / 100))
        for stage in ["features", "model", "rules", "explain", "audit_json", "audit_write"] where stages[stage] != nil {
            print(String(format: "  %@ median %.2f ms", stage, percentile(stages[stage]!, 0.5)))
        }
        print("  audit log after the run: \(try store.verifyAuditLog())")
    }
}
