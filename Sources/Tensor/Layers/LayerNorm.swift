/// Layer normalisation over the last axis, PyTorch's `nn.LayerNorm`: y = (x − μ)/√(σ² + ε)·γ + β.
///
/// Parameters `weight` (γ, ones) and `bias` (β, zeros), each [dimension], named as in Hugging Face BERT.
public final class LayerNorm: Layer {
    /// The scale γ, [dimension].
    public let weight: Tensor
    /// The shift β, [dimension].
    public let bias: Tensor
    /// The ε added to the variance (BERT uses 1e-12, PyTorch's default is 1e-5).
    public let epsilon: Float
    /// Unused (no mode-dependent behaviour); kept for the `Layer` protocol.
    public var isTraining = true

    /// Creates γ = 1, β = 0 over `dimension` features.
    public init(dimension: Int, epsilon: Float = 1e-5) {
        weight = Tensor.ones([dimension], requiresGradient: true)
        bias = Tensor.zeros([dimension], requiresGradient: true)
        self.epsilon = epsilon
    }

    /// `weight` and `bias`.
    public func namedParameters() -> [(String, Tensor)] { [("weight", weight), ("bias", bias)] }

    /// Normalises `rows` raw rows of `dimension` floats from `input` into `output` (no overlap), without recording:
    /// the same arithmetic as ``callAsFunction(_:)``, rows shared among the pool's threads for large inputs.
    public func inference(_ input: UnsafePointer<Float>, rows: Int, into output: UnsafeMutablePointer<Float>) {
        weight.values.withUnsafeBufferPointer { gamma in
            bias.values.withUnsafeBufferPointer { beta in
                Tensor.layerNormRows(input, rows: rows, length: gamma.count, gamma: gamma.baseAddress!,
                                     beta: beta.baseAddress!, epsilon: epsilon, into: output)
            }
        }
    }

    /// Normalises each row of the last axis: […, dimension] → […, dimension].
    public func callAsFunction(_ input: Tensor) -> Tensor {
        input.layerNorm(gamma: weight, beta: bias, epsilon: epsilon)
    }
}
