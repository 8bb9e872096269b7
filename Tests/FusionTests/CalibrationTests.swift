import Foundation
import Testing
import Tensor
import Fusion
import TestSupport

@Suite("Calibration and checkpoints")
struct CalibrationTests {
    @Test("ECE on a hand-computed table")
    func expectedCalibrationErrorByHand() {
        // Confidences 0.9, 0.9 (bin 13: (13/15, 14/15]), 0.6 (bin 8: (8/15, 9/15]), 0.3 (bin 4: (4/15, 5/15]).
        let cases: [[Float]] = [[0.9, 0.1, 0, 0], [0.1, 0.9, 0, 0], [0.6, 0.4, 0, 0], [0.3, 0.2, 0.25, 0.25]]
        let labels = [0, 0, 0, 0]
        // bin 13: two cases, one correct → |0.5 − 0.9| = 0.4, weight 2/4 → 0.2
        // bin 8: one correct at 0.6 → |1 − 0.6| = 0.4, weight 1/4 → 0.1
        // bin 4: one correct at 0.3 → |1 − 0.3| = 0.7, weight 1/4 → 0.175
        let ece = Calibration.expectedCalibrationError(probabilities: cases, labels: labels, binCount: 15)
        #expect(abs(ece - 0.475) < 1e-6)
        // A confidence exactly on a bin edge (0.6 = 9/15) belongs to the lower bin (8/15, 9/15].
        #expect(Calibration.expectedCalibrationError(probabilities: [[0.6, 0.4]], labels: [1], binCount: 15) == 0.6)
        // Perfectly calibrated halves: 2 cases at 0.5, one right → ECE 0.
        #expect(Calibration.expectedCalibrationError(probabilities: [[0.5, 0.5], [0.5, 0.5]], labels: [0, 1]) == 0)
    }

    @Test("temperature scaling lowers the NLL of an over-confident model")
    func temperatureScalingHelps() {
        // Logits 4× too sharp: true probabilities softmax(z), reported softmax(4z); labels drawn from the truth.
        var generator = SeededGenerator(seed: 21)
        var logits: [[Float]] = []
        var labels: [Int] = []
        for _ in 0..<2000 {
            let base = (0..<4).map { _ in generator.nextNormal() }
            let truth = Calibration.probabilities(logits: [base], temperature: 1)[0]
            var u = generator.nextUniform(), label = 3
            for (index, p) in truth.enumerated() { if u < p { label = index; break }; u -= p }
            logits.append(base.map { 4 * $0 })
            labels.append(label)
        }
        let temperature = Calibration.fitTemperature(logits: logits, labels: labels)
        let before = Calibration.negativeLogLikelihood(logits: logits, labels: labels, temperature: 1)
        let after = Calibration.negativeLogLikelihood(logits: logits, labels: labels, temperature: temperature)
        #expect(temperature > 3.4 && temperature < 4.6)
        #expect(after < before - 0.3)
        let eceBefore = Calibration.expectedCalibrationError(
            probabilities: Calibration.probabilities(logits: logits, temperature: 1), labels: labels)
        let eceAfter = Calibration.expectedCalibrationError(
            probabilities: Calibration.probabilities(logits: logits, temperature: temperature), labels: labels)
        #expect(eceAfter < eceBefore / 2)
    }

    @Test("checkpoint round trip is bit for bit, and its hash is the file's")
    func checkpointRoundTrip() throws {
        let configuration = smallConfiguration()
        let model = try FusionModel(configuration: configuration)
        var generator = SeededGenerator(seed: 9)
        try model.knowledge!.setTable((0..<30).map { _ in generator.nextNormal() })
        let directory = TestPaths.temporaryDirectory("fusion-checkpoint")
        defer { try? FileManager.default.removeItem(at: directory) }
        let saved = try FusionCheckpoint.save(model: model, temperature: 1.75, classNames: ["a", "b", "c"],
                                              directory: directory.path, name: "small")
        let (loaded, document) = try FusionCheckpoint.load(directory: directory.path, name: "small")
        #expect(document.temperature == 1.75 && document.classNames == ["a", "b", "c"])
        #expect(document.configuration == configuration)
        let original = model.namedParameters(), restored = loaded.namedParameters()
        #expect(original.map(\.0) == restored.map(\.0))
        for ((name, a), (_, b)) in zip(original, restored) {
            #expect(a.values.map(\.bitPattern) == b.values.map(\.bitPattern), "\(name)")
        }
        #expect(model.knowledge!.table.values == loaded.knowledge!.table.values)
        let cases = syntheticCases(count: 5, configuration: configuration, seed: 2) { $0 == 1 ? [0] : [] }
        model.setTraining(false)
        #expect(try model.evaluate(cases).logits == loaded.evaluate(cases).logits)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: saved.weightsPath))
        #expect(saved.weightsSHA256.count == 64)
        #expect(saved.weightsSHA256 == sha256sum(saved.weightsPath))
        // A damaged weights file is refused with the file named.
        try Data(bytes.prefix(bytes.count - 8)).write(to: URL(fileURLWithPath: saved.weightsPath))
        #expect(throws: (any Error).self) { _ = try FusionCheckpoint.load(directory: directory.path, name: "small") }
    }
}

/// The hex SHA-256 of a file according to coreutils' sha256sum.
func sha256sum(_ path: String) -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
    process.arguments = [path]
    let pipe = Pipe()
    process.standardOutput = pipe
    try? process.run()
    process.waitUntilExit()
    let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    return String(text.prefix(64))
}
