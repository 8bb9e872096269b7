import Foundation

/// Multi-head self- or cross-attention with a key-padding mask, laid out as Hugging Face BERT's attention.
///
/// Parameters (Linear, weight [D, D], bias [D]): `self.query`, `self.key`, `self.value` and `output.dense`.
/// Forward: Q = x_q·W_qᵀ + b_q, K = x_kv·W_kᵀ + b_k, V = x_kv·W_vᵀ + b_v;
/// O_h = softmax(Q_h·K_hᵀ/√d_h + M)·V_h per head h (d_h = D/heads); y = concat_h(O_h)·W_oᵀ + b_o.
/// Shapes: x_q [b, s, D], x_kv [b, t, D], mask [b, t] additive → y [b, s, D].
/// Attention probabilities are not dropped out (BERT's attention dropout is left to the caller's choice of p = 0).
public final class MultiHeadAttention: Layer {
    /// The query projection (`self.query`).
    public let query: Linear
    /// The key projection (`self.key`).
    public let key: Linear
    /// The value projection (`self.value`).
    public let value: Linear
    /// The output projection (`output.dense`).
    public let output: Linear
    /// The number of heads.
    public let headCount: Int
    /// Unused (no mode-dependent behaviour); kept for the `Layer` protocol.
    public var isTraining = true

    /// [W_q; W_k; W_v] packed as one [3D, D] weight, [b_q | b_k | b_v], and the weight and bias versions they were
    /// made from (see ``selfAttentionInference(_:rows:sequences:additiveMask:residual:into:)``).
    private var packedQueryKeyValue: (weight: PackedWeight, bias: [Float], versions: [UInt64])?
    private let packedLock = NSLock()

    /// Creates the four D×D projections with PyTorch's Linear initialisation; D must divide by `headCount`.
    public init(modelDimension: Int, headCount: Int, generator: inout SeededGenerator) {
        precondition(headCount > 0 && modelDimension % headCount == 0,
                     "MultiHeadAttention: \(modelDimension) not divisible by \(headCount) heads")
        self.headCount = headCount
        query = Linear(inputSize: modelDimension, outputSize: modelDimension, generator: &generator)
        key = Linear(inputSize: modelDimension, outputSize: modelDimension, generator: &generator)
        value = Linear(inputSize: modelDimension, outputSize: modelDimension, generator: &generator)
        output = Linear(inputSize: modelDimension, outputSize: modelDimension, generator: &generator)
    }

    /// `self.query`, `self.key`, `self.value`, `output.dense`.
    public var children: [(String, any Layer)] {
        [("self.query", query), ("self.key", key), ("self.value", value), ("output.dense", output)]
    }

    /// The projections' weights and biases under their BERT names.
    public func namedParameters() -> [(String, Tensor)] { childParameters() }

    /// Self-attention: x [b, s, D], `additiveMask` [b, s] (0 keep, −1e9 padding) → [b, s, D].
    public func callAsFunction(_ input: Tensor, additiveMask: Tensor? = nil) -> Tensor {
        callAsFunction(query: input, keyValue: input, additiveMask: additiveMask)
    }

    /// Self-attention for inference on raw buffers, with the residual joined in the output projection:
    /// y = x_res + concat_h(O_h)·W_oᵀ + b_o, where [Q | K | V] = x·[W_q; W_k; W_v]ᵀ + [b_q | b_k | b_v] is one packed
    /// product (one hand-out to the pool instead of three) and O_h as in the type's documentation.
    ///
    /// Shapes: x [sequences·s, D] (`rows` = sequences·s), `additiveMask` [sequences, s] or nil, `residual` x_res
    /// [rows, D] or nil, y [rows, D]. Records nothing.
    func selfAttentionInference(
        _ input: UnsafePointer<Float>, rows: Int, sequences: Int, additiveMask: UnsafePointer<Float>?,
        residual: UnsafePointer<Float>?, into output: UnsafeMutablePointer<Float>
    ) {
        let width = query.weight.shape[0]
        let (packed, bias) = packedProjections()
        let queryKeyValue = UnsafeMutablePointer<Float>.allocate(capacity: rows * 3 * width)
        defer { queryKeyValue.deallocate() }
        bias.withUnsafeBufferPointer { b in
            packed.accumulateTokenMajor(input: input, inputStride: width, count: rows, into: queryKeyValue,
                                        outputStride: 3 * width, bias: b.baseAddress!, workers: BLAS.threadCount)
        }
        let context = UnsafeMutablePointer<Float>.allocate(capacity: rows * width)
        defer { context.deallocate() }
        Tensor.attentionInference(queryKeyValue: queryKeyValue, sequences: sequences, length: rows / sequences,
                                  width: width, headCount: headCount, additiveMask: additiveMask, into: context)
        self.output.inference(context, rows: rows, into: output, outputStride: width, addend: residual)
    }

    /// The fused query-key-value weight and bias for the current values (made again after any in-place change).
    private func packedProjections() -> (PackedWeight, [Float]) {
        packedLock.lock()
        defer { packedLock.unlock() }
        let layers = [query, key, value]
        let versions: [UInt64] = layers.flatMap { layer -> [UInt64] in [layer.weight.version, layer.bias?.version ?? 0] }
        if let packed = packedQueryKeyValue, packed.versions == versions { return (packed.weight, packed.bias) }
        let width = query.weight.shape[0]
        let weight = PackedWeight(stacking: layers.map(\.weight), outputLayout: .tokenMajor)
        let bias = layers.flatMap { $0.bias?.values ?? [Float](repeating: 0, count: width) }
        packedQueryKeyValue = (weight, bias, versions)
        return (weight, bias)
    }

    /// Cross-attention: queries from `query` [b, s, D], keys and values from `keyValue` [b, t, D],
    /// `additiveMask` [b, t] → [b, s, D].
    public func callAsFunction(query queryInput: Tensor, keyValue: Tensor, additiveMask: Tensor? = nil) -> Tensor {
        let context = Tensor.scaledDotProductAttention(query: query(queryInput), key: key(keyValue), value: value(keyValue),
                                                       headCount: headCount, additiveMask: additiveMask)
        return output(context)
    }
}
