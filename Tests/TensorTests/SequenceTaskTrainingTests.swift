import Foundation
import Testing
import Tensor

/// Proof that the engine trains: a 2-layer Transformer learns which of 4 symbols occurs most often in a
/// sequence of 8, from a fixed seed, to at least 95% accuracy on held-out sequences.
@Suite("Sequence task training")
struct SequenceTaskTrainingTests {
    static let symbolCount = 4
    static let length = 8

    /// The classifier: token + position embeddings, a [CLS] token, two post-norm blocks, a linear head on [CLS].
    final class MajorityClassifier: Layer {
        let tokens: Embedding, positions: Embedding
        let encoder: TransformerEncoder
        let head: Linear
        var isTraining = true

        init(width: Int, generator: inout SeededGenerator) {
            tokens = Embedding(count: symbolCount + 1, dimension: width, standardDeviation: 0.5, generator: &generator)
            positions = Embedding(count: length + 1, dimension: width, standardDeviation: 0.5, generator: &generator)
            encoder = TransformerEncoder(layers: (0..<2).map { _ in
                TransformerEncoderLayer(modelDimension: width, headCount: 4, feedForwardDimension: 2 * width, dropout: 0,
                                        layerNormEpsilon: 1e-5, generator: &generator)
            })
            head = Linear(inputSize: width, outputSize: symbolCount, generator: &generator)
        }

        var children: [(String, any Layer)] {
            [("embeddings.word_embeddings", tokens), ("embeddings.position_embeddings", positions),
             ("encoder", encoder), ("classifier", head)]
        }

        func namedParameters() -> [(String, Tensor)] { childParameters() }

        /// Logits [batch, symbolCount] for sequences of `length` symbols.
        func callAsFunction(_ sequences: [[Int]]) -> Tensor {
            let batch = sequences.count
            let ids = sequences.flatMap { [symbolCount] + $0 }
            let embedded = tokens(ids, shape: [batch, length + 1]) + positions(Array(0...length), shape: [length + 1])
            let hidden = encoder(embedded)
            return head(hidden.slice(axis: 1, start: 0, length: 1).reshaped([batch, -1]))
        }
    }

    /// Sequences with a unique most frequent symbol, and that symbol.
    static func makeData(count: Int, generator: inout SeededGenerator) -> ([[Int]], [Int]) {
        var sequences: [[Int]] = [], labels: [Int] = []
        while sequences.count < count {
            let sequence = (0..<length).map { _ in Int(generator.next() % UInt64(symbolCount)) }
            var counts = [Int](repeating: 0, count: symbolCount)
            for symbol in sequence { counts[symbol] += 1 }
            let top = counts.max()!
            guard counts.filter({ $0 == top }).count == 1 else { continue }
            sequences.append(sequence)
            labels.append(counts.firstIndex(of: top)!)
        }
        return (sequences, labels)
    }

    @Test("a 2-layer Transformer reaches ≥ 95% held-out accuracy on majority-symbol classification")
    func learnsMajoritySymbol() {
        BLAS.setThreadCount(1)
        var generator = SeededGenerator(seed: 2024)
        let (trainSequences, trainLabels) = Self.makeData(count: 4096, generator: &generator)
        let (testSequences, testLabels) = Self.makeData(count: 1000, generator: &generator)
        let model = MajorityClassifier(width: 32, generator: &generator)
        let steps = 1200, batchSize = 32
        let optimizer = AdamW(parameters: model.namedParameters(), learningRate: 3e-3, weightDecay: 0.01)
        let schedule = WarmupCosineSchedule(peak: 3e-3, warmupSteps: 100, totalSteps: steps, minimum: 1e-4)
        let start = Date()
        var order = Array(trainSequences.indices)
        for step in 0..<steps {
            let offset = (step * batchSize) % order.count
            if offset == 0 { order.shuffle(using: &generator) }
            let batch = order[offset..<(offset + batchSize)]
            optimizer.zeroGradients()
            let loss = Loss.crossEntropy(logits: model(batch.map { trainSequences[$0] }),
                                         targets: batch.map { trainLabels[$0] }, labelSmoothing: 0.05)
            loss.backward()
            GradientClipping.clipGlobalNorm(model.parameters(), maxNorm: 1)
            optimizer.step(learningRate: schedule.learningRate(step: step))
        }
        let trainingSeconds = Date().timeIntervalSince(start)
        model.setTraining(false)
        let logits = GradientMode.withoutGradient { model(testSequences) }
        var correct = 0
        for (row, label) in testLabels.enumerated() {
            let scores = logits.values[(row * Self.symbolCount)..<((row + 1) * Self.symbolCount)]
            if scores.firstIndex(of: scores.max()!)! - row * Self.symbolCount == label { correct += 1 }
        }
        let accuracy = Double(correct) / Double(testLabels.count)
        print("majority task: held-out accuracy \(accuracy), \(steps) steps in \(trainingSeconds) s")
        #expect(accuracy >= 0.95, "held-out accuracy \(accuracy)")
        #expect(trainingSeconds < 60)
    }
}
