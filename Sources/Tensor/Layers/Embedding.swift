/// A lookup table of vectors, PyTorch's `nn.Embedding`: y[i…] = weight[index[i…]].
///
/// Parameter `weight` [count, dimension], initialised N(0, 1) like PyTorch (BERT checkpoints overwrite it).
public final class Embedding: Layer {
    /// The table, [count, dimension].
    public let weight: Tensor
    /// Unused (no mode-dependent behaviour); kept for the `Layer` protocol.
    public var isTraining = true

    /// Creates a table of `count` vectors of `dimension`, drawn from N(0, standardDeviation²).
    public init(count: Int, dimension: Int, standardDeviation: Float = 1, generator: inout SeededGenerator) {
        weight = Tensor.normal([count, dimension], standardDeviation: standardDeviation, generator: &generator,
                               requiresGradient: true)
    }

    /// `weight`.
    public func namedParameters() -> [(String, Tensor)] { [("weight", weight)] }

    /// The rows for `indices` (row-major of `shape`): result shape + [dimension]. Indices must be in 0..<count.
    public func callAsFunction(_ indices: [Int], shape: [Int]? = nil) -> Tensor {
        weight.gatherRows(indices, indexShape: shape)
    }
}
