/// Convolutions and the normalisations that go with them: grouped 1-D convolution (PyTorch `nn.Conv1d`),
/// non-overlapping 2-D patches (a Conv2d with kernel = stride, as ViT's patch embedding), group normalisation
/// (`nn.GroupNorm`) and weight normalisation (`torch.nn.utils.weight_norm`).
extension Tensor {
    /// Grouped 1-D cross-correlation, PyTorch's `nn.Conv1d` with zero padding on both sides:
    /// y[b, o, t] = bias[o] + Σ_{c, k} W[o, c, k] · x[b, g·C_g + c, t·stride + k − padding],
    /// g = o / O_g the group of output channel o, out-of-range positions reading 0.
    ///
    /// Shapes: self [B, C, L], weight [O, C/groups, K], bias [O] (optional) → [B, O, L_out] with
    /// L_out = ⌊(L + 2·padding − K)/stride⌋ + 1. Computed per sequence and group as one gemm over the
    /// unfolded input (im2col) [C_g·K, L_out]: Y_g = W_g·cols_g.
    /// Backward: dW_g = Σ_b dY_g·cols_gᵀ, dcols_g = W_gᵀ·dY_g folded back onto dx (col2im), dbias[o] = Σ_{b,t} dY.
    public func conv1d(weight: Tensor, bias: Tensor? = nil, stride: Int = 1, padding: Int = 0, groups: Int = 1) -> Tensor {
        let x = self
        precondition(x.rank == 3, "conv1d: input shape \(x.shape), need [batch, channels, length]")
        precondition(weight.rank == 3, "conv1d: weight shape \(weight.shape), need [out, in/groups, kernel]")
        precondition(stride > 0 && padding >= 0 && groups > 0, "conv1d: stride \(stride), padding \(padding), groups \(groups)")
        let (batch, inputChannels, length) = (x.shape[0], x.shape[1], x.shape[2])
        let (outputChannels, groupInputChannels, kernel) = (weight.shape[0], weight.shape[1], weight.shape[2])
        precondition(inputChannels % groups == 0 && outputChannels % groups == 0 && groupInputChannels * groups == inputChannels,
                     "conv1d: input \(x.shape) and weight \(weight.shape) do not fit \(groups) groups")
        if let bias { precondition(bias.shape == [outputChannels], "conv1d: bias shape \(bias.shape), need [\(outputChannels)]") }
        let paddedLength = length + 2 * padding
        precondition(paddedLength >= kernel, "conv1d: padded length \(paddedLength) shorter than kernel \(kernel)")
        let outputLength = (paddedLength - kernel) / stride + 1
        let groupOutputChannels = outputChannels / groups
        let columnRows = groupInputChannels * kernel
        let outputShape = [batch, outputChannels, outputLength]

        /// Writes cols[c·K + k, t] = x[b, channelStart + c, t·stride + k − padding] (0 outside) into `columns`.
        func unfold(_ xv: UnsafeBufferPointer<Float>, sequence: Int, channelStart: Int, into columns: UnsafeMutableBufferPointer<Float>) {
            for c in 0..<groupInputChannels {
                let source = (sequence * inputChannels + channelStart + c) * length
                for k in 0..<kernel {
                    let row = (c * kernel + k) * outputLength
                    for t in 0..<outputLength {
                        let position = t * stride + k - padding
                        columns[row + t] = position >= 0 && position < length ? xv[source + position] : 0
                    }
                }
            }
        }

        var columns = [Float](repeating: 0, count: columnRows * outputLength)
        let output = makeFloatArray(count: Tensor.elementCount(of: outputShape)) { y in
            if let bias {
                for b in 0..<batch {
                    for o in 0..<outputChannels {
                        let row = (b * outputChannels + o) * outputLength
                        for t in 0..<outputLength { y[row + t] = bias.values[o] }
                    }
                }
            }
            guard outputLength > 0, columnRows > 0 else {
                if bias == nil { y.initialize(repeating: 0) }
                return
            }
            x.values.withUnsafeBufferPointer { xv in
                weight.values.withUnsafeBufferPointer { wv in
                    columns.withUnsafeMutableBufferPointer { cols in
                        for b in 0..<batch {
                            for g in 0..<groups {
                                unfold(xv, sequence: b, channelStart: g * groupInputChannels, into: cols)
                                BLAS.gemm(transposeA: false, transposeB: false, m: groupOutputChannels, n: outputLength,
                                          k: columnRows, a: wv.baseAddress! + g * groupOutputChannels * columnRows, lda: columnRows,
                                          b: cols.baseAddress!, ldb: outputLength, beta: bias == nil ? 0 : 1,
                                          c: y.baseAddress! + (b * outputChannels + g * groupOutputChannels) * outputLength,
                                          ldc: outputLength)
                            }
                        }
                    }
                }
            }
        }
        let result = Tensor(shape: outputShape, values: output)
        let biasNeedsGradient = bias?.requiresGradient ?? false
        guard (x.requiresGradient || weight.requiresGradient || biasNeedsGradient) && GradientMode.isEnabled else { return result }
        var inputs = [x, weight]
        if let bias { inputs.append(bias) }
        result.record(inputs: inputs) { output in
            guard outputLength > 0, columnRows > 0 else { return }
            let gradient = output.gradient!
            var dx = x.requiresGradient ? [Float](repeating: 0, count: x.count) : []
            var dw = weight.requiresGradient ? [Float](repeating: 0, count: weight.count) : []
            var columns = [Float](repeating: 0, count: columnRows * outputLength)
            var columnGradient = [Float](repeating: 0, count: x.requiresGradient ? columnRows * outputLength : 0)
            gradient.withUnsafeBufferPointer { dy in
                x.values.withUnsafeBufferPointer { xv in
                    weight.values.withUnsafeBufferPointer { wv in
                        columns.withUnsafeMutableBufferPointer { cols in
                            columnGradient.withUnsafeMutableBufferPointer { dcols in
                                dx.withUnsafeMutableBufferPointer { dxv in
                                    dw.withUnsafeMutableBufferPointer { dwv in
                                        for b in 0..<batch {
                                            for g in 0..<groups {
                                                let dyBlock = dy.baseAddress! + (b * outputChannels + g * groupOutputChannels) * outputLength
                                                let weightBlock = g * groupOutputChannels * columnRows
                                                if weight.requiresGradient {
                                                    unfold(xv, sequence: b, channelStart: g * groupInputChannels, into: cols)
                                                    BLAS.gemm(transposeA: false, transposeB: true, m: groupOutputChannels, n: columnRows,
                                                              k: outputLength, a: dyBlock, lda: outputLength,
                                                              b: cols.baseAddress!, ldb: outputLength, beta: 1,
                                                              c: dwv.baseAddress! + weightBlock, ldc: columnRows)
                                                }
                                                if x.requiresGradient {
                                                    BLAS.gemm(transposeA: true, transposeB: false, m: columnRows, n: outputLength,
                                                              k: groupOutputChannels, a: wv.baseAddress! + weightBlock, lda: columnRows,
                                                              b: dyBlock, ldb: outputLength, c: dcols.baseAddress!, ldc: outputLength)
                                                    for c in 0..<groupInputChannels {
                                                        let target = (b * inputChannels + g * groupInputChannels + c) * length
                                                        for k in 0..<kernel {
                                                            let row = (c * kernel + k) * outputLength
                                                            for t in 0..<outputLength {
                                                                let position = t * stride + k - padding
                                                                if position >= 0 && position < length { dxv[target + position] += dcols[row + t] }
                                                            }
                                                        }
                                                    }
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            if x.requiresGradient { x.accumulateGradient(dx) }
            if weight.requiresGradient { weight.accumulateGradient(dw) }
            if let bias, bias.requiresGradient {
                var db = [Float](repeating: 0, count: outputChannels)
                for b in 0..<batch {
                    for o in 0..<outputChannels {
                        let row = (b * outputChannels + o) * outputLength
                        var total: Float = 0
                        for t in 0..<outputLength { total += gradient[row + t] }
                        db[o] += total
                    }
                }
                bias.accumulateGradient(db)
            }
        }
        return result
    }

    /// Cuts an image batch into non-overlapping p×p patches, each flattened channel-major (c, i, j):
    /// y[b, r·(W/p) + s, (c·p + i)·p + j] = x[b, c, r·p + i, s·p + j].
    ///
    /// Shapes: self [B, C, H, W] with H and W multiples of p → [B, (H/p)·(W/p), C·p·p], patches in row-major
    /// order. A Conv2d with kernel = stride = p and weight [D, C, p, p] equals
    /// `patches(size: p).linear(weight: weight.reshaped([D, C·p·p]), bias: bias)`, up to the layout
    /// [B, N, D] instead of [B, D, H/p, W/p]. Built from reshape and permute, so its backward is theirs.
    public func patches(size: Int) -> Tensor {
        precondition(rank == 4, "patches: input shape \(shape), need [batch, channels, height, width]")
        let (batch, channels, height, width) = (shape[0], shape[1], shape[2], shape[3])
        precondition(size > 0 && height % size == 0 && width % size == 0,
                     "patches: height \(height) and width \(width) are not multiples of patch size \(size)")
        let rows = height / size, columns = width / size
        return reshaped([batch, channels, rows, size, columns, size])
            .permuted([0, 2, 4, 1, 3, 5])
            .reshaped([batch, rows * columns, channels * size * size])
    }

    /// Group normalisation, PyTorch's `nn.GroupNorm`: the C channels are split into G groups of C/G; each
    /// (sequence, group) is normalised over its channels and positions, y = (x − μ)/√(σ² + ε)·γ[c] + β[c],
    /// σ² the biased variance.
    ///
    /// Shapes: self [B, C, …], gamma [C], beta [C] → [B, C, …]. Computed as `layerNorm` over [B, G, (C/G)·…]
    /// with unit scale, then the per-channel affine map; the backward pass is theirs.
    public func groupNorm(groupCount: Int, gamma: Tensor, beta: Tensor, epsilon: Float = 1e-5) -> Tensor {
        precondition(rank >= 2, "groupNorm: input shape \(shape), need [batch, channels, …]")
        let (batch, channels) = (shape[0], shape[1])
        precondition(groupCount > 0 && channels % groupCount == 0, "groupNorm: \(channels) channels in \(groupCount) groups")
        precondition(gamma.shape == [channels] && beta.shape == [channels],
                     "groupNorm: gamma \(gamma.shape) and beta \(beta.shape) must be [\(channels)]")
        let groupSize = count / Swift.max(batch * groupCount, 1)
        let normalized = reshaped([batch, groupCount, groupSize])
            .layerNorm(gamma: Tensor.ones([groupSize]), beta: Tensor.zeros([groupSize]), epsilon: epsilon)
            .reshaped(shape)
        let affineShape = [channels] + [Int](repeating: 1, count: rank - 2)
        return normalized * gamma.reshaped(affineShape) + beta.reshaped(affineShape)
    }

    /// Weight normalisation, `torch.nn.utils.weight_norm(module, dim: dim)`: w = g · v/‖v‖, the Euclidean norm
    /// taken over every axis except `dim` (one norm per index along `dim`).
    ///
    /// Shapes: self (v) of any rank, magnitude (g) with extent 1 on every axis except `dim`, where it equals
    /// v's (e.g. v [O, I, K], dim 2 → g [1, 1, K]) → w of v's shape. Gradients reach g and v through the
    /// composed operations: dw/dg = v/‖v‖, dw/dv = (g/‖v‖)(I − v̂v̂ᵀ) per slice.
    public func weightNormalized(magnitude: Tensor, dim: Int) -> Tensor {
        let axis = Tensor.normalizedAxis(dim, rank: rank)
        var magnitudeShape = [Int](repeating: 1, count: rank)
        magnitudeShape[axis] = shape[axis]
        precondition(magnitude.shape == magnitudeShape,
                     "weightNormalized: magnitude shape \(magnitude.shape), need \(magnitudeShape) for \(shape) at dim \(dim)")
        var squares = squared()
        for other in 0..<rank where other != axis { squares = squares.sum(axis: other, keepingDimension: true) }
        return self * (magnitude / squares.squareRoot())
    }
}
