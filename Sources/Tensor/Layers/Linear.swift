import Foundation

/// PyTorch's `nn.Linear`: y = x·Wᵀ + b.
///
/// Parameters `weight` [out, in] and `bias` [out], initialised like PyTorch: U(−1/√in, 1/√in).
/// Shapes: x […, in] → y […, out].
///
/// Inference (no gradient recording, at least ``packedRowThreshold`` rows) runs on a copy of W packed for
/// OpenBLAS's kernel (``PackedWeight``), made on first use and remade when the weight's values change.
public final class Linear: Layer {
    /// The weight matrix, [outputSize, inputSize].
    public let weight: Tensor
    /// The bias vector, [outputSize], or nil.
    public let bias: Tensor?
    /// Unused (no mode-dependent behaviour); kept for the `Layer` protocol.
    public var isTraining = true

    /// Rows (tokens) from which inference uses the packed weight; below it, one `cblas_sgemm`.
    public static let packedRowThreshold = 32

    /// The packed weight and the weight version it was made from.
    private var packed: (weight: PackedWeight, version: UInt64)?
    private let packedLock = NSLock()

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
        let inputSize = weight.shape[1]
        if !GradientMode.isEnabled, input.rank >= 1, inputSize > 0, input.shape[input.rank - 1] == inputSize,
           input.count / inputSize >= Self.packedRowThreshold {
            return input.linear(packed: packedWeight(), bias: bias)
        }
        return input.linear(weight: weight, bias: bias)
    }

    /// The packed weight for the current values (packed again after any in-place change of `weight`).
    private func packedWeight() -> PackedWeight {
        packedLock.lock()
        defer { packedLock.unlock() }
        if let packed, packed.version == weight.version { return packed.weight }
        let fresh = PackedWeight(weight, outputLayout: .tokenMajor)
        packed = (fresh, weight.version)
        return fresh
    }
}
