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

    /// Inference on raw buffers: Y = X·Wᵀ + b (+ addend), then `epilogue`, on the packed weight (any row count).
    ///
    /// Shapes: X [rows, in] (row stride in), Y [rows, out] (row stride `outputStride`), addend [rows, out] (row
    /// stride `addendStride`, default out); shared among `workers` threads. Records no gradient: for forward passes
    /// that have checked `GradientMode.isEnabled` is false. The addend joins before the product's sum, so Y differs
    /// from `callAsFunction(x) + addend` only by float rounding.
    public func inference(
        _ input: UnsafePointer<Float>, rows: Int, into output: UnsafeMutablePointer<Float>, outputStride: Int,
        addend: UnsafePointer<Float>? = nil, addendStride: Int? = nil, epilogue: PackedWeight.Epilogue = .none,
        workers: Int = BLAS.threadCount
    ) {
        let packed = packedWeight()
        let run = { (bias: UnsafePointer<Float>?) in
            packed.accumulateTokenMajor(input: input, inputStride: packed.inputs, count: rows, into: output,
                                        outputStride: outputStride, bias: bias, addend: addend,
                                        addendStride: addendStride ?? packed.outputs, epilogue: epilogue,
                                        workers: workers)
        }
        if let bias {
            bias.values.withUnsafeBufferPointer { run($0.baseAddress!) }
        } else {
            if addend == nil {
                for row in 0..<rows { (output + row * outputStride).initialize(repeating: 0, count: packed.outputs) }
            }
            run(nil)
        }
    }

    /// The packed weight for the current values (packed again after any in-place change of `weight`).
    func packedWeight() -> PackedWeight {
        packedLock.lock()
        defer { packedLock.unlock() }
        if let packed, packed.version == weight.version { return packed.weight }
        let fresh = PackedWeight(weight, outputLayout: .tokenMajor)
        packed = (fresh, weight.version)
        return fresh
    }
}
