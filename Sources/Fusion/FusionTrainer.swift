public import Tensor

/// Settings of a training run.
public struct FusionTrainingOptions: Sendable {
    /// Maximum number of passes over the training cases.
    public var epochs: Int = 30
    /// Cases per step.
    public var batchSize: Int = 32
    /// Peak learning rate of the warm-up + cosine schedule.
    public var learningRate: Float = 1e-3
    /// Fraction of all steps spent warming up linearly from 0.
    public var warmupFraction: Float = 0.1
    /// AdamW decoupled weight decay.
    public var weightDecay: Float = 0.01
    /// λ, the weight of the contrastive terms.
    public var contrastiveWeight: Float = 0.1
    /// τ, the InfoNCE temperature.
    public var contrastiveTemperature: Float = 0.1
    /// Epochs without a better validation result before stopping.
    public var patience: Int = 5
    /// Probability of hiding each present modality of a training case (at least one stays), for robustness.
    public var modalityDropout: Float = 0
    /// Probability of dropping each linked KG entity of a training case (so the model cannot lean on one link).
    public var knowledgeDropout: Float = 0
    /// Global gradient-norm clip (0: none).
    public var gradientClip: Float = 1
    /// Seed of the shuffling and modality dropout.
    public var seed: UInt64 = 7

    /// The defaults above.
    public init() {}
}

/// One epoch's figures, handed to the progress callback.
public struct FusionEpochReport: Sendable {
    /// The epoch (1-based).
    public let epoch: Int
    /// Mean total loss over the epoch's steps.
    public let trainingLoss: Float
    /// Accuracy on the training cases seen in the epoch (training mode).
    public let trainingAccuracy: Float
    /// Mean cross-entropy on the validation cases.
    public let validationLoss: Float
    /// Accuracy on the validation cases.
    public let validationAccuracy: Float
}

/// What a training run returns.
public struct FusionTrainingResult: Sendable {
    /// Every epoch's report.
    public let epochs: [FusionEpochReport]
    /// The epoch whose weights were kept (best validation accuracy, then loss).
    public let bestEpoch: Int
}

/// Trains a `FusionModel`: cross-entropy + λ·(InfoNCE between modality pairs + InfoNCE case ↔ gold class entity),
/// AdamW with warm-up + cosine decay, early stopping on a validation split, seeded.
public struct FusionTrainer {
    /// The settings.
    public var options: FusionTrainingOptions

    /// Creates a trainer with `options`.
    public init(options: FusionTrainingOptions = FusionTrainingOptions()) {
        self.options = options
    }

    /// The loss of one batch: L = CE(logits, y) + λ·(mean over modality pairs (a, b) of InfoNCE(r(p_a), r(p_b))
    /// on the cases with both present + CE(r(fused)·R_classesᵀ/τ, y)), with R_classes the retrieval embeddings of
    /// the class entities (when the configuration names them). Returns (loss, logits).
    public func loss(model: FusionModel, batch: FusionBatch) -> (loss: Tensor, output: FusionOutput) {
        let output = model.forward(batch)
        var total = Loss.crossEntropy(logits: output.logits, targets: batch.labels)
        let lambda = options.contrastiveWeight
        guard lambda > 0 else { return (total, output) }
        let groups = model.configuration.modalities.count
        var pairTerms: [Tensor] = []
        for a in 0..<groups {
            for b in (a + 1)..<max(groups, a + 1) {
                let rows = (0..<batch.count).filter { output.present[a][$0] && output.present[b][$0] }
                guard rows.count >= 2 else { continue }
                let first = model.retrieval(output.pooled[a].gatherRows(rows))
                let second = model.retrieval(output.pooled[b].gatherRows(rows))
                pairTerms.append(Loss.symmetricInfoNCE(first: first, second: second, temperature: options.contrastiveTemperature))
            }
        }
        if !pairTerms.isEmpty {
            let mean = pairTerms.dropFirst().reduce(pairTerms[0], +).scaled(by: 1 / Float(pairTerms.count))
            total = total + mean.scaled(by: lambda)
        }
        let classRows = model.configuration.classEntityIndices
        if !classRows.isEmpty, let classes = model.entityRetrievalEmbedding(rows: classRows) {
            let similarities = output.retrieval.matmul(classes, transposeOther: true).scaled(by: 1 / options.contrastiveTemperature)
            total = total + Loss.crossEntropy(logits: similarities, targets: batch.labels).scaled(by: lambda)
        }
        return (total, output)
    }

    /// Trains `model` on `training`, keeps the weights of the best validation epoch, and reports each epoch.
    ///
    /// Every case must be labelled. `progress` is called after each epoch.
    @discardableResult
    public func train(model: FusionModel, training: [FusionCase], validation: [FusionCase],
                      progress: (FusionEpochReport) -> Void = { _ in }) throws -> FusionTrainingResult {
        guard !training.isEmpty else { throw FusionError(message: "training: no cases") }
        if let bad = (training + validation).firstIndex(where: { $0.label == nil }) {
            throw FusionError(message: "training: case \(bad) has no label")
        }
        var generator = SeededGenerator(seed: options.seed)
        let stepsPerEpoch = (training.count + options.batchSize - 1) / options.batchSize
        let totalSteps = stepsPerEpoch * options.epochs
        let schedule = WarmupCosineSchedule(peak: options.learningRate,
                                            warmupSteps: Int(Float(totalSteps) * options.warmupFraction),
                                            totalSteps: totalSteps)
        let optimizer = AdamW(parameters: model.namedParameters(), learningRate: options.learningRate,
                              weightDecay: options.weightDecay)
        var reports: [FusionEpochReport] = []
        var best: (accuracy: Float, loss: Float, epoch: Int, state: [String: (shape: [Int], values: [Float])])?
        var step = 0
        for epoch in 1...max(options.epochs, 1) {
            model.setTraining(true)
            var order = Array(training.indices)
            order.shuffle(using: &generator)
            var lossSum: Float = 0
            var correct = 0
            for start in stride(from: 0, to: order.count, by: options.batchSize) {
                var cases = order[start..<min(start + options.batchSize, order.count)].map { training[$0] }
                if options.modalityDropout > 0 { cases = cases.map { dropModalities($0, generator: &generator) } }
                if options.knowledgeDropout > 0 { cases = cases.map { dropKnowledge($0, generator: &generator) } }
                let batch = try FusionBatch(cases: cases, configuration: model.configuration)
                optimizer.zeroGradients()
                let (loss, output) = self.loss(model: model, batch: batch)
                loss.backward()
                if options.gradientClip > 0 {
                    GradientClipping.clipGlobalNorm(model.parameters(), maxNorm: options.gradientClip)
                }
                optimizer.step(learningRate: schedule.learningRate(step: step))
                step += 1
                lossSum += loss.scalarValue
                correct += zip(argmaxRows(output.logits), batch.labels).filter { $0 == $1 }.count
            }
            let (validationLoss, validationAccuracy) = try evaluate(model: model, cases: validation)
            let report = FusionEpochReport(epoch: epoch, trainingLoss: lossSum / Float(stepsPerEpoch),
                                           trainingAccuracy: Float(correct) / Float(training.count),
                                           validationLoss: validationLoss, validationAccuracy: validationAccuracy)
            reports.append(report)
            progress(report)
            if validation.isEmpty { continue }
            if best == nil || validationAccuracy > best!.accuracy
                || (validationAccuracy == best!.accuracy && validationLoss < best!.loss) {
                best = (validationAccuracy, validationLoss, epoch, model.stateDictionary())
            } else if epoch - best!.epoch >= options.patience {
                break
            }
        }
        if let best { try model.load(best.state) }
        model.setTraining(false)
        return FusionTrainingResult(epochs: reports, bestEpoch: best?.epoch ?? reports.count)
    }

    /// Mean cross-entropy and accuracy of `model` on `cases` (evaluation mode, no gradients); (0, 0) when empty.
    public func evaluate(model: FusionModel, cases: [FusionCase]) throws -> (loss: Float, accuracy: Float) {
        guard !cases.isEmpty else { return (0, 0) }
        let logits = try model.evaluate(cases).logits
        let labels = cases.map { $0.label ?? -1 }
        let loss = Calibration.negativeLogLikelihood(logits: logits, labels: labels, temperature: 1)
        let accuracy = Float(zip(logits.map(argmax), labels).filter { $0 == $1 }.count) / Float(cases.count)
        return (loss, accuracy)
    }

    /// Hides each present modality with probability p, keeping at least one.
    func dropModalities(_ fusionCase: FusionCase, generator: inout SeededGenerator) -> FusionCase {
        var copy = fusionCase
        let presentIndices = copy.modalities.indices.filter { copy.modalities[$0] != nil }
        guard presentIndices.count > 1 else { return copy }
        var kept = presentIndices.count
        for index in presentIndices where kept > 1 && generator.nextUniform() < options.modalityDropout {
            copy.modalities[index] = nil
            kept -= 1
        }
        return copy
    }
}

extension FusionTrainer {
    /// Drops each linked entity of `fusionCase` with probability `knowledgeDropout`.
    func dropKnowledge(_ fusionCase: FusionCase, generator: inout SeededGenerator) -> FusionCase {
        var copy = fusionCase
        copy.entities = fusionCase.entities.filter { _ in generator.nextUniform() >= options.knowledgeDropout }
        return copy
    }
}

/// The index of the largest value (the first on ties).
public func argmax(_ values: [Float]) -> Int {
    var best = 0
    for index in values.indices where values[index] > values[best] { best = index }
    return best
}

/// Row-wise argmax of a [N, C] tensor.
func argmaxRows(_ logits: Tensor) -> [Int] {
    let classes = logits.shape[1]
    return (0..<logits.shape[0]).map { argmax(Array(logits.values[$0 * classes..<($0 + 1) * classes])) }
}
