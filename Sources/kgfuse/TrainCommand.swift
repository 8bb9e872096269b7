import ArgumentParser
import Diagnosis
import Foundation
import Tensor

/// `kgfuse train --pack industrial-qa`: trains a pack's models on a dataset folder.
struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train a domain pack's diagnosis models on a dataset folder.",
        discussion: """
            For industrial-qa the folder has the layout of ../shared/data/cwru: manifest.csv (record, label, \
            fault_diameter_mil, motor_load_hp, rpm, fs_hz, channels, fault_end) and signals/<record>_<DE|FE|BA>.f32. \
            It trains a TransE embedding of the pack's ontology (its entity vectors fill the KG-token table), then the \
            fused model (DE + FE + BA spectrogram + KG tokens) and the ablations that `kgfuse evaluate` compares: each \
            sensor alone and fused without KG tokens. Training uses the recordings at --loads; the last 20 % of each \
            (in time) is held out to pick the epoch and calibrate the temperature.
              kgfuse train --pack industrial-qa --data ../shared/data/cwru --loads 0 --output Data/industrial-qa-model
            """)

    @OptionGroup var storeOptions: StoreOptions

    @Option(help: "The domain pack.")
    var pack = "industrial-qa"

    @Option(help: ArgumentHelp("The dataset folder (manifest.csv + signals/).", valueName: "DIR"))
    var data: String

    @Option(help: ArgumentHelp("Motor loads to train on, comma-separated.", valueName: "N,..."))
    var loads = "0"

    @Option(help: ArgumentHelp("Where to write the model folder (default: the pack's Data/<pack>-model).", valueName: "DIR"))
    var output: String?

    @Option(help: "Maximum training epochs per model (early stopping on the held-out windows).")
    var epochs = 20

    @Option(help: "Probability of dropping each KG link of a training window (regularises the KG tokens).")
    var knowledgeDropout: Float = 0

    @Option(help: "Seed of the training order and dropout.")
    var seed: UInt64 = 7

    @Option(help: "Threads for products and loops (1: the same model bytes on every machine).")
    var threads = 1

    func run() throws {
        BLAS.setThreadCount(threads)
        let packFiles = try PackFiles.locate(pack)
        let dataset = try BearingDataset(folder: data)
        var options = PackTrainingOptions()
        options.trainingLoads = try Self.loads(loads)
        options.fusion.epochs = epochs
        options.fusion.knowledgeDropout = knowledgeDropout
        options.fusion.seed = seed
        let destination = output ?? packFiles.modelDirectory
        let store = try storeOptions.open()
        let started = Date()
        let manifest = try PackTrainer(options: options).train(dataset: dataset, pack: packFiles, store: store, output: destination) {
            Terminal.note($0)
        }
        print("trained \(manifest.variants.count) models on \(manifest.trainingWindows) windows "
              + "(\(manifest.validationWindows) held out) in \(String(format: "%.0f", Date().timeIntervalSince(started))) s → \(destination)")
        for variant in manifest.variants {
            print("  \(variant.variant.rawValue.padding(toLength: 18, withPad: " ", startingAt: 0)) validation accuracy "
                  + "\(String(format: "%.3f", variant.validationAccuracy))  temperature \(String(format: "%.3f", variant.temperature))")
        }
    }

    /// Parses "0,1" into a set of loads.
    static func loads(_ text: String) throws -> Set<Int> {
        let values = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        let parsed = values.compactMap { Int($0) }
        guard !parsed.isEmpty, parsed.count == values.count else {
            throw ValidationError("--loads: expected comma-separated motor loads such as 0 or 0,1 (got '\(text)')")
        }
        return Set(parsed)
    }
}
