/// The outcome of comparing hand-written gradients with central finite differences.
public struct GradientCheckResult: Sendable {
    /// Parameters compared.
    public var checkedParameters: Int
    /// Largest |analytic − numeric| over the parameters.
    public var maximumAbsoluteError: Double
    /// Largest |analytic − numeric| / max(|analytic|, |numeric|, floor) over the parameters.
    public var maximumRelativeError: Double
    /// Largest |analytic| seen, to show the gradient was not trivially zero.
    public var largestGradient: Double
}

extension EmbeddingTrainer {
    /// Checks the analytic gradient of one training batch's mean loss against central finite differences
    /// (L(p + h) − L(p − h)) / 2h for every entity and relation parameter of `dataset` (so keep it tiny).
    ///
    /// The batch is the first `config.batchSize` training triples in file order, with the negatives of epoch 0
    /// (fixed by the seed, so every loss evaluation sees the same negatives). The self-adversarial weights
    /// p = softmax(α·s⁻) are recorded at the unperturbed parameters and replayed in the perturbed evaluations, since
    /// the loss treats them as constants. Losses are summed in Double, but the kernels run in Float32: expect
    /// relative errors around 1e-3 for h = 1e-3.
    public static func checkGradients(
        config: EmbeddingConfig, dataset: TripleDataset, step: Float = 1e-3, relativeFloor: Double = 1e-2
    ) -> GradientCheckResult {
        let session = TrainingSession(config: config, dataset: dataset)
        let range = 0..<min(config.batchSize, dataset.train.count)
        let batchCount = Double(range.count)
        func batchLoss() -> Double {
            let loss = config.loss == .selfAdversarial
                ? session.runSelfAdversarialBatch(epoch: 0, range: range)
                : session.runCrossEntropyBatch(range: range)
            return loss / batchCount
        }
        session.frozenAdversarialWeights = SharedBuffer(count: range.count * config.negatives, repeating: 0)
        _ = batchLoss()
        session.replayAdversarialWeights = true
        session.reduceGradients()
        let tables: [(parameters: FloatStorage, gradient: RowGradient)] = [
            (session.entities, session.entityGradients[0]), (session.relations, session.relationGradients[0]),
        ]
        let analytic = tables.map { $0.gradient.values.array }
        session.clearGradients()

        var result = GradientCheckResult(
            checkedParameters: 0, maximumAbsoluteError: 0, maximumRelativeError: 0, largestGradient: 0)
        for (tableIndex, table) in tables.enumerated() {
            for index in 0..<table.parameters.count {
                let original = table.parameters.pointer[index]
                table.parameters.pointer[index] = original + step
                let plus = batchLoss()
                session.clearGradients()
                table.parameters.pointer[index] = original - step
                let minus = batchLoss()
                session.clearGradients()
                table.parameters.pointer[index] = original
                let numeric = (plus - minus) / (2 * Double(step))
                let exact = Double(analytic[tableIndex][index])
                let error = abs(exact - numeric)
                result.checkedParameters += 1
                result.maximumAbsoluteError = max(result.maximumAbsoluteError, error)
                result.maximumRelativeError = max(
                    result.maximumRelativeError, error / max(abs(exact), abs(numeric), relativeFloor))
                result.largestGradient = max(result.largestGradient, abs(exact))
            }
        }
        return result
    }
}
