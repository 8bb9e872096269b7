import Tensor

/// The convolutional relative position embedding of wav2vec 2.0 (`Wav2Vec2PositionalConvEmbedding`, tensors
/// `encoder.pos_conv_embed.conv.…`).
///
/// p = GELU(SamePad(Conv1d(xᵀ))) with a grouped Conv1d D → D, kernel K, padding ⌊K/2⌋, G groups, whose weight is
/// weight-normalised over dim 2: W = g · v/‖v‖, ‖v‖ over axes 0 and 1 for each kernel tap (g [1, 1, K],
/// v [D, D/G, K]); SamePad drops the last frame when K is even. Shapes: x [B, T, D] → p [B, T, D].
public final class Wav2Vec2PositionalConvolution: Layer {
    /// g, [1, 1, K] (`conv.weight_g`, or `conv.parametrizations.weight.original0`).
    public let weightMagnitude: Tensor
    /// v, [D, D/G, K] (`conv.weight_v`, or `conv.parametrizations.weight.original1`).
    public let weightDirection: Tensor
    /// The bias, [D] (`conv.bias`).
    public let bias: Tensor
    /// The number of groups G.
    public let groups: Int
    /// True in training mode.
    public var isTraining = true

    /// A randomly initialised convolution: v ~ N(0, 2/(K·D/G)), g = ‖v‖ (so W = v initially), bias 0.
    public init(width: Int, kernel: Int, groups: Int, generator: inout SeededGenerator) {
        self.groups = groups
        weightDirection = Tensor.normal([width, width / groups, kernel], standardDeviation: (2 / Float(kernel * width / groups)).squareRoot(),
                                        generator: &generator, requiresGradient: true)
        var norms = [Float](repeating: 0, count: kernel)
        for (index, value) in weightDirection.values.enumerated() { norms[index % kernel] += value * value }
        weightMagnitude = Tensor(shape: [1, 1, kernel], values: norms.map { $0.squareRoot() }, requiresGradient: true)
        bias = Tensor.zeros([width], requiresGradient: true)
    }

    /// `conv.weight_g`, `conv.weight_v`, `conv.bias`.
    public func namedParameters() -> [(String, Tensor)] {
        [("conv.weight_g", weightMagnitude), ("conv.weight_v", weightDirection), ("conv.bias", bias)]
    }

    /// The position embedding p [B, T, D] of x [B, T, D].
    public func callAsFunction(_ input: Tensor) -> Tensor {
        let kernel = weightDirection.shape[2]
        let weight = weightDirection.weightNormalized(magnitude: weightMagnitude, dim: 2)
        var convolved = input.transposedLastTwo().conv1d(weight: weight, bias: bias, padding: kernel / 2, groups: groups)
        if kernel % 2 == 0 {
            convolved = convolved.slice(axis: 2, start: 0, length: convolved.shape[2] - 1)
        }
        return convolved.gelu().transposedLastTwo()
    }
}
