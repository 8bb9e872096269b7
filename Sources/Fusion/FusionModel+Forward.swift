public import Tensor

/// What one forward pass produces.
public struct FusionOutput {
    /// Class logits [b, C].
    public let logits: Tensor
    /// The gated fusion Σ_g w_g·p_g [b, D].
    public let fused: Tensor
    /// Per gated group (modalities, then KG): masked mean of its output tokens [b, D] (zeros when missing).
    public let pooled: [Tensor]
    /// Gate weights [b, G]: 0 for a missing group, the present ones sum to 1.
    public let gateWeights: Tensor
    /// Per gated group, per case: presence.
    public let present: [[Bool]]
    /// The retrieval embedding of the fused vector, L2-normalised [b, r].
    public let retrieval: Tensor
    /// The input of the last encoder layer [b, S, D] (for the attention read-out), or the embeddings without layers.
    public let lastLayerInput: Tensor
    /// The additive key-padding mask used [b, S].
    public let attentionMask: Tensor
}

extension FusionModel {
    /// The embedded sequence [b, S, D] and its key-padding mask [b, S] (0 keep, −1e9 masked).
    public func embed(_ batch: FusionBatch) -> (tokens: Tensor, mask: Tensor) {
        let b = batch.count
        let width = configuration.modelDimension
        var pieces: [Tensor] = [classToken + typeEmbeddings([0]) + Tensor.zeros([b, 1, width])]
        var keep: [[Float]] = Array(repeating: [1], count: b)
        for (m, modality) in configuration.modalities.enumerated() {
            let tokens = projections[m](inputNorms[m](batch.features[m])) + positions[m] + typeEmbeddings([m + 1])
            pieces.append(tokens)
            for c in 0..<b {
                keep[c] += [Float](repeating: batch.present[m][c] ? 1 : 0, count: modality.tokenCount)
            }
        }
        if let knowledge {
            let tokens = knowledge(indices: batch.entityIndices, scalars: batch.entityScalars)
                + typeEmbeddings([configuration.modalities.count + 1])
            pieces.append(tokens)
            for c in 0..<b { keep[c] += batch.entityIndices[c].map { $0 >= 0 ? 1 : 0 } }
        }
        let mask = Tensor(shape: [b, configuration.sequenceLength], values: keep.flatMap { $0.map { $0 > 0 ? 0 : -1e9 } })
        return (Tensor.concatenate(pieces, axis: 1), mask)
    }

    /// Runs the model on `batch` (record gradients by calling it with `GradientMode` enabled and training on).
    /// Without gradient recording in evaluation mode it embeds and pools through the inference path
    /// (`FusionModel+Inference.swift`, the same sums without intermediate tensors), and the encoder layers take
    /// theirs (`TransformerEncoderLayer`).
    public func forward(_ batch: FusionBatch) -> FusionOutput {
        let inference = usesInferencePath
        let (tokens, mask) = inference ? inferenceEmbed(batch) : embed(batch)
        var hidden = tokens
        var lastInput = tokens
        for layer in layers {
            lastInput = hidden
            hidden = layer(hidden, additiveMask: mask)
        }
        hidden = finalNorm(hidden)
        let b = batch.count
        let summary = hidden.slice(axis: 1, start: 0, length: 1).reshaped([b, configuration.modelDimension])
        var pooled: [Tensor] = []
        var present: [[Bool]] = []
        for (m, modality) in configuration.modalities.enumerated() {
            let flags = batch.present[m]
            let weights = flags.map { [Float](repeating: $0 ? 1 / Float(modality.tokenCount) : 0, count: modality.tokenCount) }
            let start = configuration.tokenOffset(ofModality: m)
            pooled.append(inference
                ? inferenceMaskedMean(hidden, start: start, length: modality.tokenCount, weights: weights)
                : maskedMean(hidden, start: start, length: modality.tokenCount, weights: weights))
            present.append(flags)
        }
        if knowledge != nil {
            let slots = configuration.knowledgeTokenCount
            let weights = batch.entityIndices.map { row -> [Float] in
                let used = row.filter { $0 >= 0 }.count
                return row.map { $0 >= 0 ? 1 / Float(used) : 0 }
            }
            let start = configuration.knowledgeTokenOffset
            pooled.append(inference
                ? inferenceMaskedMean(hidden, start: start, length: slots, weights: weights)
                : maskedMean(hidden, start: start, length: slots, weights: weights))
            present.append(batch.entityIndices.map { $0.contains { $0 >= 0 } })
        }
        let presentByCase = (0..<b).map { c in present.map { $0[c] } }
        let gateWeights = gate(summary: summary, pooled: pooled, present: presentByCase)
        let groups = pooled.count
        let stacked = Tensor.concatenate(pooled.map { $0.reshaped([b, 1, configuration.modelDimension]) }, axis: 1)
        let fused = (stacked * gateWeights.reshaped([b, groups, 1])).sum(axis: 1)
        return FusionOutput(logits: classifier(fused), fused: fused, pooled: pooled, gateWeights: gateWeights,
                            present: present, retrieval: Loss.l2Normalized(retrieval(fused)),
                            lastLayerInput: lastInput, attentionMask: mask)
    }

    /// Σ_t a_ct·h[c, start + t, :] for weights a [b][length] (1/count on kept tokens, 0 elsewhere) → [b, D].
    func maskedMean(_ hidden: Tensor, start: Int, length: Int, weights: [[Float]]) -> Tensor {
        let b = hidden.shape[0]
        let slice = hidden.slice(axis: 1, start: start, length: length)
        return (slice * Tensor(shape: [b, length, 1], values: weights.flatMap { $0 })).sum(axis: 1)
    }

    /// The retrieval embedding of a KG entity row (the same head applied to its projected token), L2-normalised.
    ///
    /// Shape: `rows` R entity indices → [R, r]; used to align cases with their gold class's ontology entity.
    public func entityRetrievalEmbedding(rows: [Int]) -> Tensor? {
        guard let knowledge else { return nil }
        let tokens = knowledge(indices: [rows], scalars: [[Float](repeating: 0, count: rows.count)])
            .reshaped([rows.count, configuration.modelDimension])
        return Loss.l2Normalized(retrieval(tokens))
    }

    /// Class probabilities softmax(logits/T) for `cases`, evaluated without gradients in batches of `batchSize`.
    public func predictProbabilities(_ cases: [FusionCase], temperature: Float = 1, batchSize: Int = 64) throws -> [[Float]] {
        let wasTraining = isTraining
        setTraining(false)
        defer { setTraining(wasTraining) }
        var result: [[Float]] = []
        try GradientMode.withoutGradient {
            for start in stride(from: 0, to: cases.count, by: batchSize) {
                let batch = try FusionBatch(cases: Array(cases[start..<min(start + batchSize, cases.count)]),
                                            configuration: configuration)
                let probabilities = forward(batch).logits.scaled(by: 1 / temperature).softmax()
                let classes = configuration.classCount
                for row in 0..<batch.count {
                    result.append(Array(probabilities.values[row * classes..<(row + 1) * classes]))
                }
            }
        }
        return result
    }

    /// Logits and gate weights for `cases` without gradients: ([N][C], [N][G]).
    public func evaluate(_ cases: [FusionCase], batchSize: Int = 64) throws -> (logits: [[Float]], gateWeights: [[Float]]) {
        let wasTraining = isTraining
        setTraining(false)
        defer { setTraining(wasTraining) }
        var logits: [[Float]] = []
        var gates: [[Float]] = []
        let (classes, groups) = (configuration.classCount, configuration.gateGroupCount)
        try GradientMode.withoutGradient {
            for start in stride(from: 0, to: cases.count, by: batchSize) {
                let batch = try FusionBatch(cases: Array(cases[start..<min(start + batchSize, cases.count)]),
                                            configuration: configuration)
                let output = forward(batch)
                for row in 0..<batch.count {
                    logits.append(Array(output.logits.values[row * classes..<(row + 1) * classes]))
                    gates.append(Array(output.gateWeights.values[row * groups..<(row + 1) * groups]))
                }
            }
        }
        return (logits, gates)
    }
}
