/// PyTorch's `nn.Linear`: y = x·Wᵀ + b.
///
/// Parameters `weight` [out, in] and `bias` [out], initialised like PyTorch: U(−1/√in, 1/√in).
/// Shapes: x […, in] → y […, out].
public final class Linear: Layer {
    /// The weight matrix, [outputSize, inputSize].
    public let weight: Tensor
    /// The bias vector, [outputSize], or nil.
    public let bias: Tensor?
    /// Unused (no mode-dependent behaviour); kept for the `Layer` protocol.
    public var isTraining = true

    /// Creates a layer with PyTorch's default initialisation drawn from `generator`.
    public init(inputSize: Int, outputSize: Int, bias hasBias: Bool = true, generator: inout SeededGenerator) {
        let bound = 1 / Float(Swift.max(inputSize, 1)).squareRoot()
        weight = Tensor.uniform([outputSize, inputSize], low: -bound, high: bound, generator: &generator, requiresGradient: true)
        bias = hasBias ? Tensor.uniform([outputSize], low: -bound, high: bound, generator: &generator, requiresGradient: true) : nil
    }

    /// `weight` and, if present, `bias`.
    public func namedParameters() -> [(String, Tensor)] {
        var named = [("weight", weight)]
        if let bias { named.append(("bias", bias)) }
        return named
    }

    /// y = x·Wᵀ + b over the last axis.
    public func callAsFunction(_ input: Tensor) -> Tensor {
        input.linear(weight: weight, bias: bias)
    }
}
