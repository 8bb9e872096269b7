import Tensor

extension BertModel {
    /// The forward pass; leaves the last hidden state token-major in `workspace.tokenMajor` [T, H].
    ///
    /// Inside, activations are feature-major ([F, T]): every Linear is then yᵀ = W · xᵀ, one gemm with the
    /// PyTorch weight [out, in] as its left operand. With few tokens (T ≪ out) this is the shape OpenBLAS runs
    /// fastest, and it needs no weight transposition.
    func run(_ inputs: [BertInput], workspace: BertWorkspace) {
        let hidden = configuration.hiddenSize
        let tokenCount = inputs.reduce(0) { $0 + $1.ids.count }
        let epsilon = configuration.layerNormEpsilon

        // Embeddings, token-major: LayerNorm(word[id] + position[p] + type[t]), [T, H]; then transposed to [H, T].
        let embedded = workspace.tokenMajor.pointer
        var row = 0
        for input in inputs {
            for position in 0..<input.ids.count {
                let target = embedded + (row + position) * hidden
                let word = weights.wordEmbeddings.readOnly + Int(input.ids[position]) * hidden
                let place = weights.positionEmbeddings.readOnly + position * hidden
                let type = weights.typeEmbeddings.readOnly + Int(input.typeIds[position]) * hidden
                var column = 0
                while column < hidden {
                    VectorKernels.store(
                        VectorKernels.load(word + column) + VectorKernels.load(place + column)
                            + VectorKernels.load(type + column), target + column)
                    column += 8
                }
            }
            row += input.ids.count
        }
        VectorKernels.addBiasResidualLayerNorm(
            input: embedded, bias: nil, residual: nil, output: embedded, rows: tokenCount,
            columns: hidden, gamma: weights.embeddingNormGamma.readOnly, beta: weights.embeddingNormBeta.readOnly,
            epsilon: epsilon)
        VectorKernels.transpose(embedded, rows: tokenCount, columns: hidden, into: workspace.hidden.pointer)

        let workers = max(1, min(BLAS.threadCount, workspace.workerCapacity))
        for layer in weights.layers {
            runLayer(layer, inputs: inputs, tokenCount: tokenCount, workers: workers, workspace: workspace)
        }
        VectorKernels.transpose(
            workspace.hidden.readOnly, rows: hidden, columns: tokenCount, into: workspace.tokenMajor.pointer)
    }

    private func runLayer(
        _ layer: BertLayerWeights, inputs: [BertInput], tokenCount: Int, workers: Int, workspace: BertWorkspace
    ) {
        let hidden = configuration.hiddenSize
        let intermediate = configuration.intermediateSize
        let epsilon = configuration.layerNormEpsilon
        let x = workspace.hidden.pointer
        let qkv = workspace.queryKeyValue.pointer
        let projection = workspace.projection.pointer

        // Each product starts from its bias (and residual) and adds W·xᵀ with beta = 1.
        // [q k v]ᵀ = b + W_qkv · xᵀ: [3H, H] · [H, T] → [3H, T].
        VectorKernels.fillColumns(qkv, rows: 3 * hidden, columns: tokenCount, bias: layer.queryKeyValueBias.readOnly)
        linear(
            layer.queryKeyValueWeight, outputs: 3 * hidden, inputs: hidden, input: x, tokenCount: tokenCount,
            output: qkv, workers: workers)

        attention(inputs: inputs, tokenCount: tokenCount, workers: workers, workspace: workspace)

        // xᵀ = LayerNorm(xᵀ + b_o + W_o · contextᵀ): [H, H] · [H, T] → [H, T].
        VectorKernels.fillColumns(
            projection, rows: hidden, columns: tokenCount, bias: layer.attentionOutputBias.readOnly, plus: x)
        linear(
            layer.attentionOutputWeight, outputs: hidden, inputs: hidden, input: workspace.context.readOnly,
            tokenCount: tokenCount, output: projection, workers: workers)
        VectorKernels.layerNormColumns(
            projection, rows: hidden, columns: tokenCount, output: x, gamma: layer.attentionNormGamma.readOnly,
            beta: layer.attentionNormBeta.readOnly, epsilon: epsilon, mean: workspace.mean.pointer,
            inverseDeviation: workspace.inverseDeviation.pointer)

        // hᵀ = GELU(b_1 + W_1 · xᵀ): [I, H] · [H, T] → [I, T].
        let up = workspace.intermediate.pointer
        VectorKernels.fillColumns(up, rows: intermediate, columns: tokenCount, bias: layer.intermediateBias.readOnly)
        linear(
            layer.intermediateWeight, outputs: intermediate, inputs: hidden, input: x, tokenCount: tokenCount,
            output: up, workers: workers)
        let count = intermediate * tokenCount
        WorkerPool.shared.forEachRange(count, chunks: workers, grain: 8) { range, _ in
            VectorKernels.gelu(up + range.lowerBound, count: range.count)
        }

        // xᵀ = LayerNorm(xᵀ + b_2 + W_2 · hᵀ): [H, I] · [I, T] → [H, T].
        VectorKernels.fillColumns(projection, rows: hidden, columns: tokenCount, bias: layer.outputBias.readOnly, plus: x)
        linear(
            layer.outputWeight, outputs: hidden, inputs: intermediate, input: workspace.intermediate.readOnly,
            tokenCount: tokenCount, output: projection, workers: workers)
        VectorKernels.layerNormColumns(
            projection, rows: hidden, columns: tokenCount, output: x, gamma: layer.outputNormGamma.readOnly,
            beta: layer.outputNormBeta.readOnly, epsilon: epsilon, mean: workspace.mean.pointer,
            inverseDeviation: workspace.inverseDeviation.pointer)
    }

    /// Cᵀ[out, T] += W[out, in] · xᵀ[in, T] (W is [out, in] = `outputs` × `inputs`): OpenBLAS's kernel on the weight
    /// packed at load time, the tiles shared by `workers` threads.
    private func linear(
        _ weight: PackedWeight, outputs: Int, inputs: Int, input: UnsafePointer<Float>, tokenCount: Int,
        output: UnsafeMutablePointer<Float>, workers: Int
    ) {
        precondition(weight.outputs == outputs && weight.inputs == inputs, "BERT linear: weight shape mismatch")
        weight.accumulate(input: input, layout: .featureMajor, inputStride: tokenCount, count: tokenCount,
                          into: output, outputStride: tokenCount, workers: workers)
    }

    /// Multi-head self-attention of every sequence into `workspace.context` ([H, T]), reading qᵀ, kᵀ, vᵀ from
    /// `workspace.queryKeyValue` ([3H, T]: head h at rows h·d, H + h·d and 2H + h·d). The (sequence, head) pairs
    /// are shared among `workers` threads, each with its own [L, L] score block.
    private func attention(inputs: [BertInput], tokenCount: Int, workers: Int, workspace: BertWorkspace) {
        let hidden = configuration.hiddenSize
        let headSize = configuration.headSize
        let heads = configuration.headCount
        let scale = 1 / Float(headSize).squareRoot()
        let qkv = workspace.queryKeyValue.readOnly
        let context = workspace.context.pointer
        let scoreBlock = workspace.sequenceCapacity * workspace.sequenceCapacity
        var offsets: [Int] = []
        var running = 0
        for input in inputs {
            offsets.append(running)
            running += input.ids.count
        }
        let scoresBase = workspace.scores.pointer
        inputs.withUnsafeBufferPointer { inputs in
            offsets.withUnsafeBufferPointer { offsets in
                let pairCount = inputs.count * heads
                WorkerPool.shared.forEachRange(pairCount, chunks: workers) { range, worker in
                    let scores = scoresBase + worker * scoreBlock
                    for pair in range {
                        let sequence = pair / heads
                        let head = pair % heads
                        let offset = offsets[sequence]
                        let length = inputs[sequence].ids.count
                        let query = qkv + head * headSize * tokenCount + offset
                        AttentionKernel.scores(
                            query: query, key: query + hidden * tokenCount, stride: tokenCount, headSize: headSize,
                            length: length, scale: scale, into: scores)
                        if let mask = inputs[sequence].attentionMask {
                            AttentionKernel.applyKeyMask(mask, scores: scores, length: length)
                        }
                        for queryIndex in 0..<length {
                            VectorKernels.softmax(scores + queryIndex * length, count: length)
                        }
                        AttentionKernel.context(
                            value: query + 2 * hidden * tokenCount, stride: tokenCount, headSize: headSize,
                            length: length, probabilities: scores,
                            into: context + head * headSize * tokenCount + offset)
                    }
                }
            }
        }
    }
}
