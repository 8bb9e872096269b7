import ArgumentParser
import Embeddings
import Foundation
import KnowledgeStore

extension EmbeddingModelKind: ExpressibleByArgument {}

/// `kgfuse embed`: trains a knowledge-graph embedding, evaluates it by filtered link prediction and stores it.
struct Embed: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train TransE, DistMult, ComplEx or RotatE embeddings and store them.",
        discussion: """
            The triples come from the store's entity graph (named entities; rdf:type, subclass, object-property and
            restriction edges), split 80/10/10 with the seed, or from a folder of train.txt/valid.txt/test.txt
            (tab-separated head, relation, tail) with --from-tsv. Without flags each model uses settings that reach
            filtered MRR ≥ 0.85 (RotatE) and ≥ 0.71 (TransE) on UMLS. The test split is ranked against all
            entities with the known true triples filtered out (realistic rank for ties).
              kgfuse embed --model rotate --from-tsv ../shared/kg/umls
              kgfuse embed --model rotate            # on the loaded ontologies
            """)

    @OptionGroup var storeOptions: StoreOptions

    @Option(help: "The model: transe, distmult, complex or rotate.")
    var model: EmbeddingModelKind

    @Option(help: "Embedding dimension (complex models: complex dimension).")
    var dim: Int?

    @Option(help: "Training epochs.")
    var epochs: Int?

    @Option(help: "Learning rate (Adam).")
    var learningRate: Float?

    @Option(help: "Threads for training (results are deterministic for a seed and thread count).")
    var threads: Int?

    @Option(help: ArgumentHelp("Train on train/valid/test TSV files in this folder instead of the store.", valueName: "DIR"))
    var fromTsv: String?

    @Option(help: "Random seed for initialisation, sampling and the split.")
    var seed: UInt64 = 0

    @Option(help: "The name the model is stored under (default: MODEL-SOURCE).")
    var name: String?

    @Flag(help: "End with one JSON line: mrr, hits_at_1, hits_at_3, hits_at_10, seconds.")
    var json = false

    func run() throws {
        var config = EmbeddingConfig.defaults(for: model)
        if let dim { config.dimension = dim }
        if let epochs { config.epochs = epochs }
        if let learningRate { config.learningRate = learningRate }
        if let threads { config.threads = threads }
        config.seed = seed
        if let problem = config.validationProblem() { throw ValidationError(problem) }

        let store = try storeOptions.open()
        let dataset: TripleDataset
        let source: String
        do {
            if let fromTsv {
                dataset = try TripleDataset(directory: fromTsv)
                source = URL(fileURLWithPath: fromTsv).lastPathComponent
            } else {
                dataset = try TripleDataset(entityGraphOf: store, seed: seed)
                source = "store"
            }
        } catch {
            throw ValidationError("\(error)")
        }
        Terminal.note("training \(model.rawValue) (dim \(config.dimension), \(config.epochs) epochs) on \(source): " +
                      "\(dataset.entities.count) entities, \(dataset.relations.count) relations, " +
                      "\(dataset.train.count)/\(dataset.valid.count)/\(dataset.test.count) train/valid/test triples")
        let started = Date()
        let result = try EmbeddingTrainer(config: config).train(on: dataset) { progress in
            Terminal.progress("epoch \(progress.epoch)/\(progress.epochs)", fraction: Double(progress.epoch) / Double(progress.epochs),
                              detail: String(format: "loss %.4f  %.0f s", progress.loss, progress.elapsedSeconds))
        }
        Terminal.endProgress()
        let seconds = Date().timeIntervalSince(started)
        let stored = try store.save(result.model, name: name ?? "\(model.rawValue)-\(source)")
        let metrics = result.testMetrics
        print("model \(stored.name) stored in \(store.path) (sha256 \(stored.sha256.prefix(16))…)")
        print(String(format: "trained in %.1f s, evaluated in %.1f s", result.trainingSeconds, result.evaluationSeconds))
        if let metrics {
            print("filtered link prediction on \(metrics.rankCount / 2) test triples (head and tail):")
            print(String(format: "  MRR %.4f   MR %.2f   Hits@1 %.4f   Hits@3 %.4f   Hits@10 %.4f",
                         metrics.meanReciprocalRank, metrics.meanRank, metrics.hitsAt1, metrics.hitsAt3, metrics.hitsAt10))
        } else {
            print("no test triples: nothing to evaluate")
        }
        if json {
            let object: [String: Any] = [
                "model": model.rawValue, "name": stored.name, "seconds": seconds,
                "mrr": metrics?.meanReciprocalRank ?? NSNull(), "hits_at_1": metrics?.hitsAt1 ?? NSNull(),
                "hits_at_3": metrics?.hitsAt3 ?? NSNull(), "hits_at_10": metrics?.hitsAt10 ?? NSNull(),
            ]
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        }
    }
}

/// `kgfuse neighbors`: the entities nearest to one, by the embedding model's own similarity.
struct Neighbors: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the entities nearest to ENTITY in a stored embedding model, with their labels.",
        discussion: "ENTITY is <IRI>, a prefixed name, an OBO identifier (HP:0001250), a label, or a TSV entity name.")

    @OptionGroup var storeOptions: StoreOptions

    @Option(name: .short, help: "How many neighbours.")
    var k: Int = 10

    @Option(help: "The stored model (default: the newest embedding model).")
    var model: String?

    @Flag(help: "Print one JSON array.")
    var json = false

    @Argument(help: "The entity.")
    var entity: String

    func run() throws {
        let store = try storeOptions.open()
        let (stored, embedding) = try store.embeddingModel(named: model)
        var name = entity
        if embedding.entityIndex(of: name) == nil, case .iri(let iri)? = try? store.resolveEntity(entity) {
            name = iri.value
        }
        guard let neighbors = embedding.nearestNeighbors(of: name, k: k) else {
            throw ValidationError("'\(entity)' is not an entity of model \(stored.name)")
        }
        let prefixes = try store.prefixes()
        let rows = try neighbors.map { n -> (String, Float, String) in
            let label = try store.preferredLabel(of: .iri(n.entity)) ?? ""
            return (n.entity, n.similarity, label)
        }
        if json {
            let data = try JSONSerialization.data(withJSONObject: rows.map { ["entity": $0.0, "similarity": Double($0.1), "label": $0.2] },
                                                  options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
            return
        }
        let own = try store.preferredLabel(of: .iri(name)).map { " (\($0))" } ?? ""
        let isIRI = name.contains(":")
        print("nearest to \(isIRI ? KnowledgeStore.compactName(name, prefixes: prefixes) : name)\(own) in \(stored.name):")
        for (rank, row) in rows.enumerated() {
            let shown = isIRI ? KnowledgeStore.compactName(row.0, prefixes: prefixes) : row.0
            print(String(format: "%3d  %8.4f  ", rank + 1, row.1) + shown + (row.2.isEmpty ? "" : "  \(row.2)"))
        }
    }
}
