import Diagnosis
import Foundation
import KnowledgeStore
import Testing
import TestSupport

/// Training and evaluating the industrial QA pack on the CWRU recordings in ../shared/data/cwru.
@Suite("Industrial QA training and evaluation", .serialized)
struct PackTrainingTests {
    static let pack = PackFiles(name: IndustrialQA.name, root: TestPaths.repositoryRoot)

    @Test("the shipped model, trained on load 0, meets the bar on load 1: accuracy ≥ 0.97, at least the best single sensor, KG tokens do not hurt, ≤ 1 % true classes vetoed")
    func shippedModelOnLoadOne() throws {
        let folder = TestPaths.temporaryDirectory("pack-evaluate")
        let store = try KnowledgeStore(path: folder.appendingPathComponent("store.sqlite").path)
        let engine = try DiagnosisEngine(store: store, pack: Self.pack, modelDirectory: Self.pack.modelDirectory)
        engine.writesAuditLog = false
        let evaluation = try PackEvaluator(engine: engine, modelDirectory: Self.pack.modelDirectory)
            .evaluate(dataset: try BearingDataset(folder: TestPaths.sharedFile("data/cwru").path), loads: [1])
        print("load 1: accuracy \(evaluation.accuracy), macro-F1 \(evaluation.macroF1), ECE \(evaluation.ece), "
              + "true class vetoed \(evaluation.trueClassVetoed), ablations \(evaluation.ablations.sorted { $0.key < $1.key })")
        #expect(evaluation.cases == 234)
        #expect(evaluation.accuracy >= 0.97)
        #expect(evaluation.trueClassVetoed <= 0.01)
        #expect(Set(evaluation.ablations.keys) == ["drive_end", "fan_end", "spectrogram", "fused_without_kg", "fused_without_kg_and_post_check",
                                                   "fused_with_kg", "fused_with_kg_and_post_check"])
        // The system (fused with KG tokens, then the post-check) is at least as good as the best single sensor, and the
        // KG tokens do not hurt: fused with them at least as accurate as fused without, with and without the post-check.
        let ablation = { (name: String) in evaluation.ablations[name] ?? -1 }
        let bestSingle = max(ablation("drive_end"), ablation("fan_end"), ablation("spectrogram"))
        #expect(evaluation.accuracy == ablation("fused_with_kg_and_post_check"))
        #expect(evaluation.accuracy >= bestSingle)
        #expect(ablation("fused_with_kg") >= ablation("fused_without_kg"))
        #expect(ablation("fused_with_kg_and_post_check") >= ablation("fused_without_kg_and_post_check"))
        #expect(evaluation.confusion.flatMap { $0 }.reduce(0, +) == evaluation.cases)
        #expect(evaluation.confusion[0].reduce(0, +) == 0)  // the slice has no normal recording at load 1
        #expect(try store.runs().isEmpty)  // evaluation writes no audit runs
    }

    @Test("training from a data folder writes a model folder that loads, with KG vectors from a TransE embedding of the ontology")
    func trainsFromDataFolder() throws {
        let folder = TestPaths.temporaryDirectory("pack-train")
        let store = try KnowledgeStore(path: folder.appendingPathComponent("store.sqlite").path)
        var options = PackTrainingOptions()
        options.variants = [.fused]
        options.fusion.epochs = 4
        let output = folder.appendingPathComponent("model").path
        let manifest = try PackTrainer(options: options).train(
            dataset: try BearingDataset(folder: TestPaths.sharedFile("data/cwru").path), pack: Self.pack, store: store, output: output)
        #expect(manifest.trainingLoads == [0])
        #expect(manifest.variants.map(\.variant) == [.fused])
        #expect(manifest.entities.contains(IndustrialQA.iri("driveEndBPFI").value))
        #expect(manifest.knowledgeEmbedding.model == "transe" && manifest.knowledgeEmbedding.tripleCount > 50)
        #expect(manifest.variants[0].validationAccuracy > 0.5)  // 7 classes: chance is 1/7
        #expect(try PackModelManifest.read(directory: output) == manifest)
        let loaded = try LoadedPackModel(directory: output, variant: .fused)
        #expect(loaded.model.configuration.usesKnowledgeTokens)
        #expect(loaded.sha256.count == 64)
        // The KG embedding was stored too, under the pack's name.
        #expect(try store.models().contains { $0.name == "industrial-qa-transe" })
    }
}
