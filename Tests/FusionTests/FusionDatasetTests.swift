import Foundation
import Testing
import Fusion
import TestSupport

@Suite("Fusion JSONL dataset")
struct FusionDatasetTests {
    let classNames = ["a", "b", "c"]
    let entityNames = ["bpfi", "bpfo", "bsf", "class_a", "class_b", "class_c"]

    @Test("reads inline arrays, float32 files, entity names and labels; an unmentioned modality is missing")
    func readsCases() throws {
        let path = TestPaths.tests("FusionTests/Fixtures/cases.jsonl").path
        let dataset = try FusionDataset(path: path, configuration: smallConfiguration(), classNames: classNames,
                                        entityNames: entityNames)
        #expect(dataset.cases.count == 2)
        let first = dataset.cases[0], second = dataset.cases[1]
        #expect(first.label == 1 && second.label == 0)
        #expect(first.modalities[0] == (1...15).map(Float.init))
        #expect(first.modalities[1] == (1...8).map(Float.init))
        #expect(first.modalities[2] == nil)
        #expect(first.entities == [LinkedEntity(index: 0, scalar: 1.5), LinkedEntity(index: 4, scalar: 0)])
        #expect(second.modalities[0] == nil && second.modalities[1] == nil)
        #expect(second.modalities[2] == (0..<24).map { Float($0) * 0.25 })
        #expect(first.group == "r1" && second.entities.isEmpty)
        // The cases run through the model.
        let model = try FusionModel(configuration: smallConfiguration())
        let probabilities = try model.predictProbabilities(dataset.cases)
        #expect(probabilities.count == 2 && probabilities.allSatisfy { abs($0.reduce(0, +) - 1) < 1e-5 })
    }

    @Test("a wrong value count is refused with file, line and field")
    func badLine() throws {
        let path = TestPaths.tests("FusionTests/Fixtures/bad-cases.jsonl").path
        #expect(throws: FusionError(message: "\(path):2: modalities.drive_end: 3 values, need 3×5")) {
            _ = try FusionDataset(path: path, configuration: smallConfiguration(), classNames: classNames,
                                  entityNames: entityNames)
        }
        #expect(throws: FusionError.self) {
            _ = try FusionDataset(path: path + ".missing", configuration: smallConfiguration(), classNames: classNames)
        }
    }
}
