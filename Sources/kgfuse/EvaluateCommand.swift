import ArgumentParser
import Diagnosis
import Foundation
import Tensor

/// `kgfuse evaluate --pack industrial-qa --data DIR`: accuracy, macro-F1, ECE, confusion matrix and ablations.
struct Evaluate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Evaluate a pack's models on a dataset folder: accuracy, macro-F1, ECE, confusion matrix, ablations.",
        discussion: """
            Every 1 s window (hop 0.5 s) of the recordings at --loads is diagnosed by each ablation (each sensor alone, \
            fused without KG tokens, fused with them) and by the full system (fused with KG tokens, then the rule \
            post-check). For the post-check it reports how precise the vetoes are and how often the true class is \
            vetoed. Nothing is written to the audit log. With --json the last line of stdout is one JSON object.
              kgfuse evaluate --pack industrial-qa --data ../shared/data/cwru --loads 1
            """)

    @OptionGroup var storeOptions: StoreOptions

    @Option(help: "The domain pack.")
    var pack = "industrial-qa"

    @Option(help: ArgumentHelp("The dataset folder (manifest.csv + signals/).", valueName: "DIR"))
    var data: String

    @Option(help: ArgumentHelp("Only recordings at these motor loads, comma-separated (default: all).", valueName: "N,..."))
    var loads: String?

    @Option(help: ArgumentHelp("The model folder (default: the pack's shipped model in Data/).", valueName: "DIR"))
    var model: String?

    @Flag(help: "End with one JSON line: accuracy, macro_f1, ece, veto_precision, true_class_vetoed, ablations, ...")
    var json = false

    func run() throws {
        BLAS.setThreadCount(1)
        let packFiles = try PackFiles.locate(pack)
        let dataset = try BearingDataset(folder: data)
        let directory = model ?? packFiles.modelDirectory
        let engine = try DiagnosisEngine(store: try storeOptions.open(), pack: packFiles, modelDirectory: directory)
        engine.writesAuditLog = false
        let evaluation = try PackEvaluator(engine: engine, modelDirectory: directory)
            .evaluate(dataset: dataset, loads: try loads.map(Train.loads)) { Terminal.note($0) }
        print(Self.table(evaluation))
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(evaluation), as: UTF8.self))
        }
    }

    /// The evaluation as text tables.
    static func table(_ e: PackEvaluation) -> String {
        func f(_ value: Float?) -> String { value.map { String(format: "%.4f", $0) } ?? "n/a" }
        var lines = ["\(e.cases) windows\(e.loads.map { " at motor load \($0.map(String.init).joined(separator: ","))" } ?? "")",
                     "  accuracy \(f(e.accuracy))   macro-F1 \(f(e.macroF1))   ECE \(f(e.ece)) (before post-check \(f(e.eceBeforePostCheck)))",
                     "  post-check: veto precision \(f(e.vetoPrecision)), true class vetoed \(f(e.trueClassVetoed)), "
                        + "top-class vetoes \(e.topClassVetoes) (\(e.topClassVetoesCorrect) correct), unsupported answers \(e.unsupportedAnswers)",
                     "", "  ablation                          accuracy"]
        let order = ["drive_end", "fan_end", "spectrogram", "fused_without_kg", "fused_without_kg_and_post_check", "fused_with_kg",
                     "fused_with_kg_and_post_check"]
        for name in order where e.ablations[name] != nil {
            lines.append("  \(name.padding(toLength: 32, withPad: " ", startingAt: 0)) \(f(e.ablations[name]))")
        }
        lines.append("")
        lines.append("  confusion (rows: truth, columns: answer)")
        let short = e.classNames.map { String($0.prefix(10)).padding(toLength: 10, withPad: " ", startingAt: 0) }
        lines.append("  " + "".padding(toLength: 24, withPad: " ", startingAt: 0) + short.joined(separator: " "))
        for (index, row) in e.confusion.enumerated() {
            lines.append("  " + e.classNames[index].padding(toLength: 24, withPad: " ", startingAt: 0)
                         + row.map { String($0).padding(toLength: 10, withPad: " ", startingAt: 0) }.joined(separator: " "))
        }
        return lines.joined(separator: "\n")
    }
}
