import Dispatch
import Tensor

/// Filtered ranking of test triples against every entity, on raw parameter tables.
///
/// For each triple (h, r, t) both queries are ranked: the tail query (h, r, ?) ranks t among all entities, the
/// head query (?, r, t) ranks h; every other entity known to answer the query (from `filter`) is skipped, and ties
/// count half (`LinkPredictionMetrics.realisticRank`). Scores of a chunk of queries against all entities come from
/// one gemm [queries, W]·[N, W]ᵀ for bilinear models, or from fused SIMD distance loops spread over `threads`.
struct LinkPredictionRanker: Sendable {
    let scoreFunction: ScoreFunction
    /// Entity table [entityCount, entityWidth].
    let entities: FloatStorage
    /// Relation table [relationCount, relationWidth].
    let relations: FloatStorage
    let entityCount: Int
    let filter: FilterIndex
    let threads: Int

    /// Two realistic ranks per triple: ranks[2i] for the tail of triples[i], ranks[2i + 1] for its head.
    func ranks(of triples: [IndexedTriple]) -> [Double] {
        let width = scoreFunction.entityWidth
        let relationWidth = scoreFunction.relationWidth
        let chunkTriples = max(1, min(256, 1 << 22 / max(1, 2 * entityCount)))
        let queries = FloatStorage(count: 2 * chunkTriples * width)
        let scores = FloatStorage(count: 2 * chunkTriples * entityCount)
        let ranks = SharedBuffer<Double>(count: 2 * triples.count, repeating: 0)
        let workers = max(1, threads)
        var chunkStart = 0
        while chunkStart < triples.count {
            let chunk = Array(triples[chunkStart..<min(triples.count, chunkStart + chunkTriples)])
            let rows = 2 * chunk.count
            for (index, triple) in chunk.enumerated() {
                let relation = relations.pointer + Int(triple.relation) * relationWidth
                scoreFunction.makeQuery(side: .tail, anchor: entities.pointer + Int(triple.head) * width,
                                        relation: relation, query: queries.pointer + (2 * index) * width)
                scoreFunction.makeQuery(side: .head, anchor: entities.pointer + Int(triple.tail) * width,
                                        relation: relation, query: queries.pointer + (2 * index + 1) * width)
            }
            if scoreFunction.metric == .dot {
                BLAS.gemm(transposeA: false, transposeB: true, m: rows, n: entityCount, k: width,
                          a: queries.pointer, lda: width, b: entities.pointer, ldb: width,
                          c: scores.pointer, ldc: entityCount)
            } else {
                DispatchQueue.concurrentPerform(iterations: workers) { worker in
                    for row in stride(from: worker, to: rows, by: workers) {
                        scoreFunction.scoreAll(query: queries.pointer + row * width, entities: entities.pointer,
                                               entityCount: entityCount, scores: scores.pointer + row * entityCount)
                    }
                }
            }
            let offset = chunkStart
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                let excluded = SharedBuffer<UInt8>(count: entityCount, repeating: 0)
                for row in stride(from: worker, to: rows, by: workers) {
                    let triple = chunk[row / 2]
                    let side: PredictionSide = row % 2 == 0 ? .tail : .head
                    let target = Int(side == .tail ? triple.tail : triple.head)
                    let known = filter.knownAnswers(of: triple, side: side)
                    for answer in known { excluded.pointer[Int(answer)] = 1 }
                    excluded.pointer[target] = 0
                    ranks.pointer[2 * offset + row] = Self.realisticRank(
                        target: target, scores: scores.pointer + row * entityCount, count: entityCount,
                        excluded: excluded.pointer)
                    for answer in known { excluded.pointer[Int(answer)] = 0 }
                }
            }
            chunkStart += chunk.count
        }
        return ranks.array
    }

    /// 1 + #better + #equal/2 among candidates with excluded[j] == 0 (j ≠ target); NaN target → worst rank.
    @inline(__always)
    static func realisticRank(
        target: Int, scores: UnsafePointer<Float>, count: Int, excluded: UnsafePointer<UInt8>
    ) -> Double {
        let targetScore = scores[target]
        var better = 0, equal = 0, candidates = 1
        for j in 0..<count where j != target && excluded[j] == 0 {
            candidates += 1
            let score = scores[j]
            if score > targetScore { better += 1 } else if score == targetScore { equal += 1 }
        }
        if targetScore.isNaN { return Double(candidates) }
        return 1 + Double(better) + Double(equal) / 2
    }
}
