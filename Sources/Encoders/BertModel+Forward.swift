import Tensor

extension BertModel {
    /// The forward pass into `workspace.hidden` ([T, H], sequences packed); inputs already validated.
    func run(_ inputs: [BertInput], workspace: BertWorkspace) {
        let hidden = configuration.hiddenSize
        let tokenCount = inputs.reduce(0) { $0 + $1.ids.count }
        let x = workspace.hidden.pointer
        let epsilon = configuration.layerNormEpsilon

        // Embeddings: word + position + type, then LayerNorm, [T, H].
        var row = 0
        for input in inputs {
            for position in 0..<input.ids.count {
                let target = workspace.projection.pointer + (row + position) * hidden
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
            input: workspace.projection.readOnly, bias: nil, residual: nil, output: x, rows: tokenCount,
            columns: hidden, gamma: weights.embeddingNormGamma.readOnly, beta: weights.embeddingNormBeta.readOnly,
            epsilon: epsilon)

        for layer in weights.layers {
            runLayer(layer, inputs: inputs, tokenCount: tokenCount, workspace: workspace)
        }
    }

    private func runLayer(_ layer: BertLayerWeights, inputs: [BertInput], tokenCount: Int, workspace: BertWorkspace) {
        let hidden = configuration.hiddenSize
        let intermediate = configuration.intermediateSize
        let epsilon = configuration.layerNormEpsilon
        let x = workspace.hidden.pointer
        let qkv = workspace.queryKeyValue.pointer

        // [q k v] = x · W_qkv + b: [T, H] · [H, 3H] → [T, 3H].
        BLAS.gemm(
            transposeA: false, transposeB: false, m: tokenCount, n: 3 * hidden, k: hidden,
            a: x, lda: hidden, b: layer.queryKeyValueWeight.readOnly, ldb: 3 * hidden,
            c: qkv, ldc: 3 * hidden)
        addBias(qkv, rows: tokenCount, columns: 3 * hidden, bias: layer.queryKeyValueBias.readOnly)

        attention(inputs: inputs, workspace: workspace)

        // x = LayerNorm(x + context · W_o + b_o).
        BLAS.gemm(
            transposeA: false, transposeB: false, m: tokenCount, n: hidden, k: hidden,
            a: workspace.context.readOnly, lda: hidden, b: layer.attentionOutputWeight.readOnly, ldb: hidden,
            c: workspace.projection.pointer, ldc: hidden)
        VectorKernels.addBiasResidualLayerNorm(
            input: workspace.projection.readOnly, bias: layer.attentionOutputBias.readOnly, residual: x, output: x,
            rows: tokenCount, columns: hidden, gamma: layer.attentionNormGamma.readOnly,
            beta: layer.attentionNormBeta.readOnly, epsilon: epsilon)

        // h = GELU(x · W_1 + b_1): [T, H] · [H, I] → [T, I].
        BLAS.gemm(
            transposeA: false, transposeB: false, m: tokenCount, n: intermediate, k: hidden,
            a: x, lda: hidden, b: layer.intermediateWeight.readOnly, ldb: intermediate,
            c: workspace.intermediate.pointer, ldc: intermediate)
        VectorKernels.addBiasGELU(
            workspace.intermediate.pointer, rows: tokenCount, columns: intermediate,
            bias: layer.intermediateBias.readOnly)

        // x = LayerNorm(x + h · W_2 + b_2): [T, I] · [I, H] → [T, H].
        BLAS.gemm(
            transposeA: false, transposeB: false, m: tokenCount, n: hidden, k: intermediate,
            a: workspace.intermediate.readOnly, lda: intermediate, b: layer.outputWeight.readOnly, ldb: hidden,
            c: workspace.projection.pointer, ldc: hidden)
        VectorKernels.addBiasResidualLayerNorm(
            input: workspace.projection.readOnly, bias: layer.outputBias.readOnly, residual: x, output: x,
            rows: tokenCount, columns: hidden, gamma: layer.outputNormGamma.readOnly,
            beta: layer.outputNormBeta.readOnly, epsilon: epsilon)
    }

    /// Multi-head self-attention of every sequence into `workspace.context` [T, H]; q, k, v are read from
    /// `workspace.queryKeyValue` [T, 3H] with row stride 3H (head h at columns h·d, H + h·d, 2H + h·d).
    private func attention(inputs: [BertInput], workspace: BertWorkspace) {
        let hidden = configuration.hiddenSize
        let headSize = configuration.headSize
        let scale = 1 / Float(headSize).squareRoot()
        let qkv = workspace.queryKeyValue.readOnly
        var offset = 0
        for input in inputs {
            let length = input.ids.count
            for head in 0..<configuration.headCount {
                let scores = workspace.scores.pointer + head * length * length
                let query = qkv + offset * 3 * hidden + head * headSize
                let key = query + hidden
                let value = query + 2 * hidden
                // scores = q·kᵀ/√d: [L, d] · [d, L] → [L, L].
                BLAS.gemm(
                    transposeA: false, transposeB: true, m: length, n: length, k: headSize, alpha: scale,
                    a: query, lda: 3 * hidden, b: key, ldb: 3 * hidden, c: scores, ldc: length)
                if let mask = input.attentionMask {
                    for (keyIndex, allowed) in mask.enumerated() where allowed == 0 {
                        for queryIndex in 0..<length {
                            scores[queryIndex * length + keyIndex] += -Float.greatestFiniteMagnitude
                        }
                    }
                }
                for queryIndex in 0..<length {
                    VectorKernels.softmax(scores + queryIndex * length, count: length)
                }
                // context[:, h·d ..< (h+1)·d] = P · v: [L, L] · [L, d] → [L, d], row stride H.
                BLAS.gemm(
                    transposeA: false, transposeB: false, m: length, n: headSize, k: length,
                    a: scores, lda: length, b: value, ldb: 3 * hidden,
                    c: workspace.context.pointer + offset * hidden + head * headSize, ldc: hidden)
            }
            offset += length
        }
    }

    /// matrix[r, c] += bias[c] for a [rows, columns] row-major matrix (columns divisible by 8).
    private func addBias(_ matrix: UnsafeMutablePointer<Float>, rows: Int, columns: Int, bias: UnsafePointer<Float>) {
        for row in 0..<rows {
            let line = matrix + row * columns
            var column = 0
            while column < columns {
                VectorKernels.store(VectorKernels.load(line + column) + VectorKernels.load(bias + column), line + column)
                column += 8
            }
        }
    }
}
