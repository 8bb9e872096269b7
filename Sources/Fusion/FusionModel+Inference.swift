import Tensor

extension FusionModel {
    /// True when ``forward(_:)`` takes the inference path: no gradient recording and evaluation mode.
    var usesInferencePath: Bool { !GradientMode.isEnabled && !isTraining }

    /// The embedded sequence [b, S, D] and its key-padding mask [b, S], for inference: the same sums as
    /// ``embed(_:)`` (token = LN(x)·Wᵀ + b + P + T), written straight into one sequence buffer.
    ///
    /// Each modality's projection starts from its addend P_m + T_m (positions plus type embedding), so there is no
    /// broadcast addition and no concatenation; results differ from ``embed(_:)`` only by float rounding (the
    /// addend joins before the product's sum, not after).
    func inferenceEmbed(_ batch: FusionBatch) -> (tokens: Tensor, mask: Tensor) {
        let b = batch.count
        let width = configuration.modelDimension
        let length = configuration.sequenceLength
        let types = typeEmbeddings.weight.values
        let tokens = makeFloatArray(count: b * length * width) { buffer in
            guard let sequence = buffer.baseAddress else { return }
            types.withUnsafeBufferPointer { types in
                let types = types.baseAddress!
                classToken.values.withUnsafeBufferPointer { cls in
                    for c in 0..<b {
                        addValues(cls.baseAddress!, types, into: sequence + c * length * width, count: width)
                    }
                }
                for (m, modality) in configuration.modalities.enumerated() {
                    let (count, features) = (modality.tokenCount, modality.featureSize)
                    let offset = configuration.tokenOffset(ofModality: m)
                    let normed = UnsafeMutablePointer<Float>.allocate(capacity: b * count * features)
                    defer { normed.deallocate() }
                    batch.features[m].values.withUnsafeBufferPointer { x in
                        inputNorms[m].inference(x.baseAddress!, rows: b * count, into: normed)
                    }
                    // addend[t] = P_m[t] + T_{m+1}: the start of every case's tokens of this modality.
                    let addend = UnsafeMutablePointer<Float>.allocate(capacity: count * width)
                    defer { addend.deallocate() }
                    positions[m].values.withUnsafeBufferPointer { position in
                        for t in 0..<count {
                            addValues(position.baseAddress! + t * width, types + (m + 1) * width, into: addend + t * width,
                                   count: width)
                        }
                    }
                    for c in 0..<b {
                        projections[m].inference(normed + c * count * features, rows: count,
                                                 into: sequence + (c * length + offset) * width, outputStride: width,
                                                 addend: addend, addendStride: width)
                    }
                }
                if let knowledge {
                    let slots = configuration.knowledgeTokenCount
                    let offset = configuration.knowledgeTokenOffset
                    let projected = knowledge(indices: batch.entityIndices, scalars: batch.entityScalars)
                    let type = types + (configuration.modalities.count + 1) * width
                    projected.values.withUnsafeBufferPointer { projected in
                        for c in 0..<b {
                            for slot in 0..<slots {
                                addValues(projected.baseAddress! + (c * slots + slot) * width, type,
                                       into: sequence + (c * length + offset + slot) * width, count: width)
                            }
                        }
                    }
                }
            }
        }
        return (Tensor(shape: [b, length, width], values: tokens), keyPaddingMask(batch))
    }

    /// The additive key-padding mask [b, S]: 0 on [CLS], present modalities' tokens and filled KG slots, −1e9 on the
    /// rest.
    func keyPaddingMask(_ batch: FusionBatch) -> Tensor {
        var values: [Float] = []
        values.reserveCapacity(batch.count * configuration.sequenceLength)
        for c in 0..<batch.count {
            values.append(0)
            for (m, modality) in configuration.modalities.enumerated() {
                values += [Float](repeating: batch.present[m][c] ? 0 : -1e9, count: modality.tokenCount)
            }
            if knowledge != nil { values += batch.entityIndices[c].map { $0 >= 0 ? 0 : -1e9 } }
        }
        return Tensor(shape: [batch.count, configuration.sequenceLength], values: values)
    }

    /// Σ_t a_ct·h[c, start + t, :] for weights a [b][length] → [b, D], without recording (see `maskedMean`).
    func inferenceMaskedMean(_ hidden: Tensor, start: Int, length: Int, weights: [[Float]]) -> Tensor {
        let (b, sequence, width) = (hidden.shape[0], hidden.shape[1], hidden.shape[2])
        let values = hidden.values.withUnsafeBufferPointer { h in
            makeFloatArray(count: b * width) { buffer in
                guard let pooled = buffer.baseAddress else { return }
                for c in 0..<b {
                    let target = pooled + c * width
                    target.initialize(repeating: 0, count: width)
                    for t in 0..<length where weights[c][t] != 0 {
                        let row = h.baseAddress! + (c * sequence + start + t) * width
                        let weight = weights[c][t]
                        for j in 0..<width { target[j] += weight * row[j] }
                    }
                }
            }
        }
        return Tensor(shape: [b, width], values: values)
    }
}

/// y = x·Wᵀ + b through `layer`, on its packed weight when no gradient is recorded (no per-call re-packing of W,
/// which `cblas_sgemm` does for the one-row products of the gate and the few KG tokens); else `layer(x)`.
func packedLinear(_ layer: Linear, _ input: Tensor) -> Tensor {
    let (inputs, outputs) = (layer.weight.shape[1], layer.weight.shape[0])
    guard !GradientMode.isEnabled, input.rank >= 1, input.shape[input.rank - 1] == inputs, input.count > 0 else {
        return layer(input)
    }
    let rows = input.count / inputs
    let values = input.values.withUnsafeBufferPointer { x in
        makeFloatArray(count: rows * outputs) { y in
            layer.inference(x.baseAddress!, rows: rows, into: y.baseAddress!, outputStride: outputs, workers: 1)
        }
    }
    return Tensor(shape: Array(input.shape.dropLast()) + [outputs], values: values)
}
