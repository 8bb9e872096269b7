/// A dense, contiguous, row-major Float32 array with a shape, and a node in the autodiff graph.
///
/// Storage is one `[Float]` of `shape.reduce(1, *)` elements in row-major order (last axis fastest).
/// A rank-0 tensor (shape `[]`) holds one value. Tensors are reference types so that the autodiff graph
/// can point at them; operations never mutate their inputs, they return new tensors.
///
/// Autodiff (see `Tensor+Autodiff.swift`): a tensor with `requiresGradient` is a leaf (a parameter).
/// Every operation whose inputs need a gradient, run while `GradientMode.isEnabled`, records a
/// `GradientNode` on its result holding the inputs and a backward closure. `backward()` walks that graph
/// in reverse topological order and accumulates `gradient` into every leaf.
public final class Tensor {
    /// The extent of each axis; `[]` for a scalar.
    public let shape: [Int]

    /// The elements in row-major order; `values.count == shape.reduce(1, *)`.
    public internal(set) var values: [Float]

    /// The accumulated gradient dLoss/dself, same count as `values`, or `nil` before any backward pass.
    public var gradient: [Float]?

    /// Whether this tensor is a trainable leaf whose gradient `backward()` accumulates.
    public var requiresGradient: Bool

    /// The operation that produced this tensor, when it was recorded for differentiation.
    var node: GradientNode?

    /// Counts in-place writes through `assign(values:)` and `withMutableValues(_:)`, so that caches derived from
    /// the values (such as a layer's packed weight) can tell that they are stale.
    var version: UInt64 = 0

    /// Creates a tensor from a shape and its row-major values.
    ///
    /// - Precondition: `values.count == shape.reduce(1, *)` and every extent is ≥ 0.
    public init(shape: [Int], values: [Float], requiresGradient: Bool = false) {
        precondition(shape.allSatisfy { $0 >= 0 }, "Tensor: negative extent in shape \(shape)")
        precondition(values.count == Tensor.elementCount(of: shape),
                     "Tensor: \(values.count) values do not fill shape \(shape)")
        self.shape = shape
        self.values = values
        self.requiresGradient = requiresGradient
    }

    /// Creates a tensor of the given shape filled with one value.
    public convenience init(shape: [Int], repeating value: Float, requiresGradient: Bool = false) {
        self.init(shape: shape, values: [Float](repeating: value, count: Tensor.elementCount(of: shape)),
                  requiresGradient: requiresGradient)
    }

    /// Creates a rank-0 tensor holding one value.
    public convenience init(scalar: Float, requiresGradient: Bool = false) {
        self.init(shape: [], values: [scalar], requiresGradient: requiresGradient)
    }

    /// Creates a tensor of zeros.
    public static func zeros(_ shape: [Int], requiresGradient: Bool = false) -> Tensor {
        Tensor(shape: shape, repeating: 0, requiresGradient: requiresGradient)
    }

    /// Creates a tensor of ones.
    public static func ones(_ shape: [Int], requiresGradient: Bool = false) -> Tensor {
        Tensor(shape: shape, repeating: 1, requiresGradient: requiresGradient)
    }

    /// The number of elements, the product of the extents.
    public var count: Int { values.count }

    /// The number of axes.
    public var rank: Int { shape.count }

    /// The single value of a one-element tensor.
    public var scalarValue: Float {
        precondition(values.count == 1, "scalarValue: tensor of shape \(shape) has \(values.count) elements")
        return values[0]
    }

    /// The product of the extents of `shape`.
    public static func elementCount(of shape: [Int]) -> Int {
        shape.reduce(1, *)
    }

    /// Resolves a possibly negative axis (−1 is the last) against `rank`.
    static func normalizedAxis(_ axis: Int, rank: Int) -> Int {
        let resolved = axis < 0 ? axis + rank : axis
        precondition(resolved >= 0 && resolved < rank, "axis \(axis) out of range for rank \(rank)")
        return resolved
    }

    /// Overwrites the values in place (for optimisers and weight loading); the count must not change.
    public func assign(values newValues: [Float]) {
        precondition(newValues.count == values.count,
                     "assign: \(newValues.count) values for shape \(shape) (\(values.count) elements)")
        values = newValues
        version &+= 1
    }

    /// Runs `body` with mutable access to the values (for optimisers); the count must not change.
    public func withMutableValues<Result>(_ body: (inout UnsafeMutableBufferPointer<Float>) throws -> Result) rethrows -> Result {
        version &+= 1
        return try values.withUnsafeMutableBufferPointer { try body(&$0) }
    }

    /// Sets `gradient` to nil (before the next backward pass).
    public func zeroGradient() {
        gradient = nil
    }

    /// A new tensor with the same shape and values, detached from the graph and not requiring a gradient.
    public func detached() -> Tensor {
        Tensor(shape: shape, values: values)
    }
}

extension Tensor: CustomStringConvertible {
    /// A short description: the shape and up to eight leading values.
    public var description: String {
        let head = values.prefix(8).map { String($0) }.joined(separator: ", ")
        return "Tensor(shape: \(shape), values: [\(head)\(values.count > 8 ? ", …" : "")])"
    }
}

/// Allocates a `[Float]` of `count` elements whose contents `initializer` writes completely.
@inlinable
public func makeFloatArray(count: Int, _ initializer: (UnsafeMutableBufferPointer<Float>) -> Void) -> [Float] {
    [Float](unsafeUninitializedCapacity: count) { buffer, initializedCount in
        initializer(buffer)
        initializedCount = count
    }
}
