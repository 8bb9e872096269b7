/// Masks: masked fill, additive attention masks, and dropout.
extension Tensor {
    /// y = value where mask ≠ 0, else x; `mask` (values 0 or 1, no gradient) broadcasts against x.
    /// Backward: dx = dy where mask = 0, else 0.
    public func maskedFill(_ mask: Tensor, with value: Float) -> Tensor {
        let input = self
        let plan = BroadcastPlan(shape, mask.shape)
        precondition(plan.outputShape == shape, "maskedFill: mask \(mask.shape) does not broadcast to \(shape)")
        let result = Tensor(shape: shape, values: Tensor.broadcastCombine(input, mask, plan) { x, m in m != 0 ? value : x })
        if Tensor.shouldRecord(input) {
            result.record(inputs: [input]) { output in
                input.accumulateGradient(Tensor.broadcastTerm(plan, gradient: output.gradient!, output: output.values,
                                                             operand: mask.values, side: .right) { g, _, m in m != 0 ? 0 : g })
            }
        }
        return result
    }

    /// The additive key-padding mask of BERT from a 0/1 attention mask: 0 where a key is real, −1e9 where it is padding.
    ///
    /// `attentionMask[b][t]` is 1 for a real token and 0 for padding (Hugging Face's `attention_mask`);
    /// the result has shape [batch, keys] and is added to every query row of the scores of sequence b.
    public static func additiveKeyPaddingMask(_ attentionMask: [[Int]]) -> Tensor {
        let keyCount = attentionMask.first?.count ?? 0
        precondition(attentionMask.allSatisfy { $0.count == keyCount }, "additiveKeyPaddingMask: rows of unequal length")
        return Tensor(shape: [attentionMask.count, keyCount],
                      values: attentionMask.flatMap { row in row.map { $0 != 0 ? 0 : -1e9 } })
    }

    /// Inverted dropout: y = x·m/(1 − p) with m ~ Bernoulli(1 − p) drawn from `generator`; identity when p = 0.
    /// Backward: dx = dy·m/(1 − p).
    public func dropout(probability: Float, generator: inout SeededGenerator) -> Tensor {
        precondition(probability >= 0 && probability < 1, "dropout: probability \(probability) outside [0, 1)")
        guard probability > 0 else { return self }
        let input = self
        let keepScale = 1 / (1 - probability)
        var scales = [Float](repeating: 0, count: count)
        for i in 0..<count where generator.nextUniform() >= probability { scales[i] = keepScale }
        let output = values.withUnsafeBufferPointer { x in
            scales.withUnsafeBufferPointer { s in
                makeFloatArray(count: x.count) { y in for i in 0..<x.count { y[i] = x[i] * s[i] } }
            }
        }
        let result = Tensor(shape: shape, values: output)
        if Tensor.shouldRecord(input) {
            result.record(inputs: [input]) { output in
                let contribution = output.gradient!.withUnsafeBufferPointer { g in
                    scales.withUnsafeBufferPointer { s in
                        makeFloatArray(count: g.count) { dx in for i in 0..<g.count { dx[i] = g[i] * s[i] } }
                    }
                }
                input.accumulateGradient(contribution)
            }
        }
        return result
    }
}
