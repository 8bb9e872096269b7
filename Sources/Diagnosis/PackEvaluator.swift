import Foundation
import Fusion

/// What `kgfuse evaluate` measures on a dataset.
public struct PackEvaluation: Codable, Sendable {
    /// Windows evaluated.
    public var cases: Int
    /// Motor loads evaluated (nil: all).
    public var loads: [Int]?
    /// Accuracy of the full system: fused with KG tokens, then the rule post-check.
    public var accuracy: Float
    /// Macro-averaged F1 of the full system over the classes that occur in the truth or the answers.
    public var macroF1: Float
    /// Expected calibration error (15 bins) of the full system's probabilities (after the post-check).
    public var ece: Float
    /// ECE of the fused model's calibrated probabilities before the post-check.
    public var eceBeforePostCheck: Float
    /// Of all (case, class) vetoes, the fraction that vetoed a class other than the true one.
    public var vetoPrecision: Float?
    /// The fraction of cases whose true class was vetoed.
    public var trueClassVetoed: Float
    /// Vetoes of the model's top class (which change the answer), and how many of them were right to.
    public var topClassVetoes: Int, topClassVetoesCorrect: Int
    /// Cases whose answer's requirement (an envelope peak at its characteristic frequency) failed.
    public var unsupportedAnswers: Int
    /// Confusion matrix of the full system: rows true class, columns answer, in `classNames` order.
    public var confusion: [[Int]]
    /// The classes' short names.
    public var classNames: [String]
    /// Accuracy per configuration: each single sensor, fused without and with KG tokens, each with and without the
    /// post-check.
    public var ablations: [String: Float]

    enum CodingKeys: String, CodingKey {
        case cases, loads, accuracy, macroF1 = "macro_f1", ece, eceBeforePostCheck = "ece_before_post_check",
             vetoPrecision = "veto_precision", trueClassVetoed = "true_class_vetoed", topClassVetoes = "top_class_vetoes",
             topClassVetoesCorrect = "top_class_vetoes_correct", unsupportedAnswers = "unsupported_answers", confusion,
             classNames = "class_names", ablations
    }
}

/// Evaluates a pack's model folder on a dataset: every variant, and the fused model with the rule post-check.
public struct PackEvaluator {
    /// The pipeline (its fused model and post-check).
    public let engine: DiagnosisEngine
    /// The model folder (for the ablation variants).
    public let modelDirectory: String
    /// Window hop in samples (windows overlap by half by default).
    public var hop = BearingFeatures.windowLength / 2

    /// Creates an evaluator.
    public init(engine: DiagnosisEngine, modelDirectory: String) {
        self.engine = engine
        self.modelDirectory = modelDirectory
    }

    /// Evaluates the recordings of `dataset` at `loads` (all when nil). `log` receives progress lines.
    public func evaluate(dataset: BearingDataset, loads: Set<Int>?, log: (String) -> Void = { _ in }) throws -> PackEvaluation {
        let windows = try PackTrainer.cases(dataset: dataset, builder: engine.builder, loads: loads, fraction: 0..<1, hop: hop) { done, total in
            log("prepared recording \(done)/\(total)")
        }
        guard !windows.cases.isEmpty else {
            throw DiagnosisError("\(dataset.folder.relativePath): no recordings\(loads.map { " at motor load \($0.sorted())" } ?? "") with a full window")
        }
        let labels = windows.cases.map { $0.fusionCase.label! }
        var ablations: [String: Float] = [:]
        for variant in PackModelVariant.allCases where variant != .fused {
            let loaded = try LoadedPackModel(directory: modelDirectory, variant: variant)
            let logits = try loaded.model.evaluate(windows.cases.map { variant.restrict($0.fusionCase) }).logits
            ablations[variant.rawValue] = Self.accuracy(logits.map(argmax), labels)
            log("\(variant.rawValue): accuracy \(ablations[variant.rawValue]!)")
            if variant == .fusedWithoutKnowledge {
                // The same post-check on the model without KG tokens: what the rules add on their own.
                let probabilities = Calibration.probabilities(logits: logits, temperature: loaded.temperature)
                var answers: [Int] = []
                for (index, prepared) in windows.cases.enumerated() {
                    answers.append(try engine.postCheck(prepared, probabilities: probabilities[index], caseID: "evaluate-\(index)",
                                                        rpm: windows.recordings[index].rpm, faultDiameterMil: nil).decided)
                }
                ablations["fused_without_kg_and_post_check"] = Self.accuracy(answers, labels)
            }
        }
        let fused = engine.model
        let logits = try fused.model.evaluate(windows.cases.map(\.fusionCase)).logits
        let probabilities = Calibration.probabilities(logits: logits, temperature: fused.temperature)
        ablations["fused_with_kg"] = Self.accuracy(logits.map(argmax), labels)
        var answers: [Int] = []
        var checked: [[Float]] = []
        var vetoes = 0, wrongClassVetoes = 0, trueVetoed = 0, topVetoes = 0, topVetoesCorrect = 0, unsupported = 0
        for (index, prepared) in windows.cases.enumerated() {
            let recording = windows.recordings[index]
            let check = try engine.postCheck(prepared, probabilities: probabilities[index], caseID: "evaluate-\(index)",
                                             rpm: recording.rpm, faultDiameterMil: nil)
            answers.append(check.decided)
            checked.append(check.checkedProbabilities)
            vetoes += check.vetoes.count
            wrongClassVetoes += check.vetoes.keys.filter { $0 != labels[index] }.count
            if check.vetoes[labels[index]] != nil { trueVetoed += 1 }
            let top = argmax(probabilities[index])
            if check.vetoes[top] != nil {
                topVetoes += 1
                if top != labels[index] { topVetoesCorrect += 1 }
            }
            if check.status == "unsupported" { unsupported += 1 }
            if (index + 1) % 50 == 0 { log("post-check \(index + 1)/\(windows.cases.count)") }
        }
        ablations["fused_with_kg_and_post_check"] = Self.accuracy(answers, labels)
        let classCount = IndustrialQA.classes.count
        var confusion = [[Int]](repeating: [Int](repeating: 0, count: classCount), count: classCount)
        for (truth, answer) in zip(labels, answers) { confusion[truth][answer] += 1 }
        return PackEvaluation(
            cases: windows.cases.count, loads: loads?.sorted(), accuracy: Self.accuracy(answers, labels),
            macroF1: Self.macroF1(confusion), ece: Calibration.expectedCalibrationError(probabilities: checked, labels: labels),
            eceBeforePostCheck: Calibration.expectedCalibrationError(probabilities: probabilities, labels: labels),
            vetoPrecision: vetoes > 0 ? Float(wrongClassVetoes) / Float(vetoes) : nil,
            trueClassVetoed: Float(trueVetoed) / Float(labels.count), topClassVetoes: topVetoes,
            topClassVetoesCorrect: topVetoesCorrect, unsupportedAnswers: unsupported, confusion: confusion,
            classNames: IndustrialQA.classes.map { String($0.value.split(separator: "#").last ?? "") }, ablations: ablations)
    }

    /// The fraction of positions where `predicted` equals `truth`.
    static func accuracy(_ predicted: [Int], _ truth: [Int]) -> Float {
        Float(zip(predicted, truth).filter { $0 == $1 }.count) / Float(max(truth.count, 1))
    }

    /// Macro F1 from a confusion matrix (rows truth, columns prediction), over the classes with any true or
    /// predicted case: F1_c = 2·TP / (2·TP + FP + FN).
    static func macroF1(_ confusion: [[Int]]) -> Float {
        var scores: [Float] = []
        for c in confusion.indices {
            let truePositives = confusion[c][c]
            let falseNegatives = confusion[c].reduce(0, +) - truePositives
            let falsePositives = confusion.map { $0[c] }.reduce(0, +) - truePositives
            guard truePositives + falseNegatives + falsePositives > 0 else { continue }
            scores.append(Float(2 * truePositives) / Float(2 * truePositives + falsePositives + falseNegatives))
        }
        return scores.isEmpty ? 0 : scores.reduce(0, +) / Float(scores.count)
    }
}
