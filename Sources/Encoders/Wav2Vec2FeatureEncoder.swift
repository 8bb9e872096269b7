import Tensor

/// The convolutional feature encoder of wav2vec 2.0 (`Wav2Vec2FeatureEncoder`, tensors `feature_extractor.…`).
///
/// Layer i: x ← GELU(Norm_i(Conv1d_i(x))), Conv1d_i with `conv_dim[i]` channels, kernel `conv_kernel[i]`,
/// stride `conv_stride[i]`, no padding (weight `conv_layers.i.conv.weight` [O, I, K]). Norm_i is
/// GroupNorm(O groups, ε = 1e-5) on layer 0 only for `feat_extract_norm` "group", LayerNorm over channels
/// (ε = 1e-5) on every layer for "layer"; both named `conv_layers.i.layer_norm`.
/// Shapes: samples [B, L] → features [B, C_last, T], T = ``Wav2Vec2Configuration/frameCount(forSamples:)``.
public final class Wav2Vec2FeatureEncoder: Layer {
    /// The hyper-parameters.
    public let configuration: Wav2Vec2Configuration
    /// Conv weights, [O_i, I_i, K_i] (I_0 = 1).
    public let convolutionWeights: [Tensor]
    /// Conv biases, [O_i], when `conv_bias`.
    public let convolutionBiases: [Tensor?]
    /// Per-layer norm scale and shift ([O_i] each), nil where the layer has no norm.
    public let norms: [LayerNorm?]
    /// True in training mode.
    public var isTraining = true

    /// A randomly initialised encoder (Kaiming-normal conv weights, as transformers' `_init_weights`).
    public init(configuration: Wav2Vec2Configuration, generator: inout SeededGenerator) {
        self.configuration = configuration
        var weights: [Tensor] = []
        var biases: [Tensor?] = []
        var norms: [LayerNorm?] = []
        var inputChannels = 1
        for (index, (channels, kernel)) in zip(configuration.convolutionChannels, configuration.convolutionKernels).enumerated() {
            let fanIn = Float(inputChannels * kernel)
            weights.append(Tensor.normal([channels, inputChannels, kernel], standardDeviation: (2 / fanIn).squareRoot(),
                                         generator: &generator, requiresGradient: true))
            biases.append(configuration.convolutionBias
                          ? Tensor.uniform([channels], low: -1 / fanIn.squareRoot(), high: 1 / fanIn.squareRoot(),
                                           generator: &generator, requiresGradient: true)
                          : nil)
            let hasNorm = configuration.featureNorm == .layer || index == 0
            norms.append(hasNorm ? LayerNorm(dimension: channels, epsilon: 1e-5) : nil)
            inputChannels = channels
        }
        convolutionWeights = weights
        convolutionBiases = biases
        self.norms = norms
    }

    /// The norms under `conv_layers.i.layer_norm`.
    public var children: [(String, any Layer)] {
        norms.enumerated().compactMap { index, norm in norm.map { ("conv_layers.\(index).layer_norm", $0) } }
    }

    /// `conv_layers.i.conv.weight` (and `.bias`), then the norms.
    public func namedParameters() -> [(String, Tensor)] {
        var named: [(String, Tensor)] = []
        for (index, weight) in convolutionWeights.enumerated() {
            named.append(("conv_layers.\(index).conv.weight", weight))
            if let bias = convolutionBiases[index] { named.append(("conv_layers.\(index).conv.bias", bias)) }
        }
        return named + childParameters()
    }

    /// Features [B, C_last, T] for samples [B, L].
    public func callAsFunction(_ samples: Tensor) -> Tensor {
        precondition(samples.rank == 2, "Wav2Vec2FeatureEncoder: samples \(samples.shape), need [batch, length]")
        var hidden = samples.reshaped([samples.shape[0], 1, samples.shape[1]])
        for index in convolutionWeights.indices {
            hidden = hidden.conv1d(weight: convolutionWeights[index], bias: convolutionBiases[index],
                                   stride: configuration.convolutionStrides[index])
            if let norm = norms[index] {
                switch configuration.featureNorm {
                case .group:
                    hidden = hidden.groupNorm(groupCount: hidden.shape[1], gamma: norm.weight, beta: norm.bias, epsilon: norm.epsilon)
                case .layer:
                    hidden = norm(hidden.transposedLastTwo()).transposedLastTwo()
                }
            }
            hidden = hidden.gelu()
        }
        return hidden
    }
}
