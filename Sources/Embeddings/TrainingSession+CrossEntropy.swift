import Dispatch
import Foundation
import Tensor

extension TrainingSession {
    /// One mini-batch of 1-N scoring with softmax cross-entropy; returns the summed loss of its triples.
    ///
    /// The B triples give 2B query rows (row 2i: tail query of triple i, row 2i + 1: head query), Q [2B, W].
    /// Scores S [2B, N] = metric(Q, E) (one gemm S = Q·Eᵀ for bilinear models). With P = softmax(S) by row and Y
    /// the one-hot true answers, L = −(1/2B) Σ_rows log P[row, answer] and G = ∂L/∂S = (P − Y)/(2B) [2B, N].
    /// Then ∂L/∂Q = G·E [2B, W] and ∂L/∂E += Gᵀ·Q [N, W] (two gemms for bilinear models; fused loops otherwise),
    /// and each query row is back-propagated into its anchor and relation. Memory is O(2B·N): meant for graphs
    /// of up to some ten thousand entities. N3 as in the self-adversarial batch.
    func runCrossEntropyBatch(range: Range<Int>) -> Double {
        let width = config.entityWidth, relationWidth = config.relationWidth
        let batchCount = range.count, rows = 2 * batchCount
        let queries = FloatStorage(count: rows * width)
        let scores = FloatStorage(count: rows * entityCount)
        let gradientQueries = FloatStorage(count: rows * width)
        let triples = range.map { train.pointer[Int(order.pointer[$0])] }
        let entityTable = entities.pointer, relationTable = relations.pointer
        for (index, triple) in triples.enumerated() {
            let relationVector = relationTable + Int(triple.relation) * relationWidth
            scoreFunction.makeQuery(side: .tail, anchor: entityTable + Int(triple.head) * width,
                                    relation: relationVector, query: queries.pointer + 2 * index * width)
            scoreFunction.makeQuery(side: .head, anchor: entityTable + Int(triple.tail) * width,
                                    relation: relationVector, query: queries.pointer + (2 * index + 1) * width)
        }
        let workers = config.threads
        let isBilinear = scoreFunction.metric == .dot
        if isBilinear {
            BLAS.gemm(transposeA: false, transposeB: true, m: rows, n: entityCount, k: width,
                      a: queries.pointer, lda: width, b: entityTable, ldb: width, c: scores.pointer, ldc: entityCount)
        } else {
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                for row in stride(from: worker, to: rows, by: workers) {
                    scoreFunction.scoreAll(query: queries.pointer + row * width, entities: entities.pointer,
                                           entityCount: entityCount, scores: scores.pointer + row * entityCount)
                }
            }
        }
        // Softmax cross-entropy by row; scores become G = (P − Y)/rows in place.
        var loss = 0.0
        let inverseRows = 1 / Float(rows)
        for row in 0..<rows {
            let triple = triples[row / 2]
            let answer = Int(row % 2 == 0 ? triple.tail : triple.head)
            let line = scores.pointer + row * entityCount
            var maximum = -Float.infinity
            for j in 0..<entityCount { maximum = max(maximum, line[j]) }
            var normalizer: Float = 0
            for j in 0..<entityCount {
                let value = exp(line[j] - maximum)
                line[j] = value
                normalizer += value
            }
            loss += Double(-log(line[answer] / normalizer)) / 2
            let factor = inverseRows / normalizer
            for j in 0..<entityCount { line[j] *= factor }
            line[answer] -= inverseRows
        }
        if isBilinear {
            BLAS.gemm(transposeA: false, transposeB: false, m: rows, n: width, k: entityCount,
                      a: scores.pointer, lda: entityCount, b: entityTable, ldb: width,
                      c: gradientQueries.pointer, ldc: width)
            let entityGradient = entityGradients[0]
            BLAS.gemm(transposeA: true, transposeB: false, m: entityCount, n: width, k: rows,
                      a: scores.pointer, lda: entityCount, b: queries.pointer, ldb: width,
                      beta: 1, c: entityGradient.values.pointer, ldc: width)
            for j in 0..<entityCount { entityGradient.touched[j] = 1 }
        } else {
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                let entityGradient = entityGradients[worker]
                for row in stride(from: worker, to: rows, by: workers) {
                    let line = scores.pointer + row * entityCount
                    for j in 0..<entityCount {
                        scoreFunction.metric.accumulateGradient(
                            queries.pointer + row * width, entities.pointer + j * width, count: width,
                            coefficient: line[j], gradientQuery: gradientQueries.pointer + row * width,
                            gradientEntity: entityGradient.row(j))
                    }
                }
            }
        }
        for (index, triple) in triples.enumerated() {
            let relation = Int(triple.relation)
            let relationVector = relationTable + relation * relationWidth
            scoreFunction.backpropagateQuery(
                side: .tail, anchor: entityTable + Int(triple.head) * width, relation: relationVector,
                gradientQuery: gradientQueries.pointer + 2 * index * width,
                gradientAnchor: entityGradients[0].row(Int(triple.head)),
                gradientRelation: relationGradients[0].row(relation))
            scoreFunction.backpropagateQuery(
                side: .head, anchor: entityTable + Int(triple.tail) * width, relation: relationVector,
                gradientQuery: gradientQueries.pointer + (2 * index + 1) * width,
                gradientAnchor: entityGradients[0].row(Int(triple.tail)),
                gradientRelation: relationGradients[0].row(relation))
        }
        let regularization = config.regularizationWeight / Float(batchCount)
        if regularization > 0 {
            for triple in triples {
                loss += Double(regularizeTriple(triple, weight: regularization, worker: 0)) * Double(batchCount)
            }
        }
        return loss
    }
}
