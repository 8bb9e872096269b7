import Dispatch
import Foundation

extension TrainingSession {
    /// One mini-batch of self-adversarial negative sampling (Sun et al. 2019); returns the summed loss.
    ///
    /// For each positive (h, r, t) in `range` of the epoch order: pick the side to corrupt (uniform or Bernoulli),
    /// build the query q from the anchor and r, draw K = `negatives` uniform entities e'_k, and with s = metric(q, ·):
    ///
    ///   L = ½·[softplus(−(γ + s⁺)) + Σ_k p_k·softplus(γ + s⁻_k)],  p = softmax(α·s⁻) held constant
    ///
    /// (−log σ(x) = softplus(−x)). Its gradients, scaled by 1/B for the batch mean:
    ///   ∂L/∂s⁺ = −½·σ(−(γ + s⁺)),  ∂L/∂s⁻_k = ½·p_k·σ(γ + s⁻_k),
    /// chained through `EntityMetric.accumulateGradient` into q and each entity row, then through
    /// `ScoreFunction.backpropagateQuery` into the anchor and relation rows. With λ > 0 the N3 term
    /// λ·(‖h‖³₃ + ‖r‖³₃ + ‖t‖³₃)/B is added (relations of RotatE excluded: phases have no size).
    func runSelfAdversarialBatch(epoch: Int, range: Range<Int>) -> Double {
        refreshRotations()
        let workers = config.threads
        let losses = SharedBuffer<Double>(count: workers, repeating: 0)
        let batchCount = range.count
        let shardSize = (batchCount + workers - 1) / workers
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            let lower = range.lowerBound + worker * shardSize
            let upper = min(range.upperBound, lower + shardSize)
            guard lower < upper else { return }
            losses.pointer[worker] = selfAdversarialShard(
                epoch: epoch, positions: lower..<upper, batchStart: range.lowerBound, batchCount: batchCount,
                worker: worker)
        }
        return (0..<workers).reduce(0.0) { $0 + losses.pointer[$1] }
    }

    private func selfAdversarialShard(
        epoch: Int, positions: Range<Int>, batchStart: Int, batchCount: Int, worker: Int
    ) -> Double {
        let width = config.entityWidth, relationWidth = config.relationWidth
        let negativeCount = config.negatives
        let margin = config.margin, temperature = config.adversarialTemperature
        let scale = 1 / Float(batchCount)
        let regularization = config.regularizationWeight * scale
        let entityGradient = entityGradients[worker], relationGradient = relationGradients[worker]
        let metric = scoreFunction.metric
        // Slot 0: the positive; slots 1...K: the negatives.
        let slots = negativeCount + 1
        let query = UnsafeMutablePointer<Float>.allocate(capacity: width)
        let gradientQuery = UnsafeMutablePointer<Float>.allocate(capacity: width)
        let candidates = UnsafeMutablePointer<Int>.allocate(capacity: slots)
        let scores = UnsafeMutablePointer<Float>.allocate(capacity: slots)
        let weights = UnsafeMutablePointer<Float>.allocate(capacity: slots)
        defer {
            query.deallocate(); gradientQuery.deallocate(); candidates.deallocate(); scores.deallocate()
            weights.deallocate()
        }
        let entityTable = entities.pointer, relationTable = relations.pointer
        var loss = 0.0
        for position in positions {
            let triple = train.pointer[Int(order.pointer[position])]
            var generator = SplitMix64(mixing: config.seed, UInt64(epoch), UInt64(position))
            let side: PredictionSide =
                generator.nextUnitFloat() < headProbability[Int(triple.relation)] ? .head : .tail
            let anchor = Int(side == .tail ? triple.head : triple.tail)
            let relation = Int(triple.relation)
            let anchorVector = entityTable + anchor * width
            let relationVector = relationTable + relation * relationWidth
            let rotation = rotations.map { $0.pointer + relation * 2 * config.dimension }
            scoreFunction.makeQuery(
                side: side, anchor: anchorVector, relation: relationVector, query: query, rotation: rotation)

            candidates[0] = Int(side == .tail ? triple.tail : triple.head)
            for k in 1..<slots { candidates[k] = generator.nextIndex(below: entityCount) }
            var maximum = -Float.infinity
            for k in 0..<slots {
                let score = metric.score(query, entityTable + candidates[k] * width, count: width)
                scores[k] = score
                if k > 0 { maximum = max(maximum, temperature * score) }
            }
            // p = softmax(α·s⁻), computed stably; α = 0 gives 1/K each. weights[k] holds exp(α·s_k − max) first.
            var normalizer: Float = 0
            for k in 1..<slots {
                weights[k] = exp(temperature * scores[k] - maximum)
                normalizer += weights[k]
            }
            // Coefficients ∂L/∂s_k (scaled by 1/B) replace the scores in place.
            var tripleLoss = softplus(-(margin + scores[0]))
            let positiveCoefficient = -0.5 * sigmoid(-(margin + scores[0])) * scale
            let frozen = frozenAdversarialWeights.map { $0.pointer + (position - batchStart) * negativeCount }
            for k in 1..<slots {
                var weight = weights[k] / normalizer
                if let frozen {  // gradient checking: record the weights, or replay recorded ones
                    if replayAdversarialWeights { weight = frozen[k - 1] } else { frozen[k - 1] = weight }
                }
                tripleLoss += weight * softplus(margin + scores[k])
                scores[k] = 0.5 * weight * sigmoid(margin + scores[k]) * scale
            }
            scores[0] = positiveCoefficient
            loss += Double(0.5 * tripleLoss)

            gradientQuery.update(repeating: 0, count: width)
            for k in 0..<slots {
                metric.accumulateGradient(
                    query, entityTable + candidates[k] * width, count: width, coefficient: scores[k],
                    gradientQuery: gradientQuery, gradientEntity: entityGradient.row(candidates[k]))
            }
            scoreFunction.backpropagateQuery(
                side: side, anchor: anchorVector, relation: relationVector, gradientQuery: gradientQuery,
                gradientAnchor: entityGradient.row(anchor), gradientRelation: relationGradient.row(relation),
                rotation: rotation)
            if regularization > 0 {
                loss += Double(regularizeTriple(triple, weight: regularization, worker: worker)) / Double(scale)
            }
        }
        return loss
    }

    /// Adds the N3 gradient of weight·(‖h‖³₃ + ‖r‖³₃ + ‖t‖³₃) into worker's accumulators; returns its value.
    /// RotatE relations (phases) are skipped.
    func regularizeTriple(_ triple: IndexedTriple, weight: Float, worker: Int) -> Float {
        let width = config.entityWidth, relationWidth = config.relationWidth
        let isComplex = config.model.isComplex
        var value: Float = 0
        for entity in [Int(triple.head), Int(triple.tail)] {
            value += ScoreFunction.accumulateN3(
                vector: entities.pointer + entity * width, width: width, isComplex: isComplex, weight: weight,
                gradient: entityGradients[worker].row(entity))
        }
        if config.model != .rotate {
            let relation = Int(triple.relation)
            value += ScoreFunction.accumulateN3(
                vector: relations.pointer + relation * relationWidth, width: relationWidth, isComplex: isComplex,
                weight: weight, gradient: relationGradients[worker].row(relation))
        }
        return value
    }
}
