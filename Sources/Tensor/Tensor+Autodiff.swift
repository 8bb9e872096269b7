/// Whether operations record the autodiff graph.
///
/// Inference wraps its work in `GradientMode.withoutGradient { ... }`: operations then check one task-local
/// Boolean and create no node, no closure and keep no intermediate alive, so a no-grad forward pass costs
/// the same as a plain numeric one.
public enum GradientMode {
    /// True (the default) when operations on tensors that need a gradient record a backward closure.
    @TaskLocal public static var isEnabled = true

    /// Runs `body` with recording switched off (inference).
    public static func withoutGradient<Result>(_ body: () throws -> Result) rethrows -> Result {
        try $isEnabled.withValue(false) { try body() }
    }
}

/// One recorded operation: its inputs and the closure that pushes the output's gradient into them.
///
/// The closure receives the output tensor (whose `gradient` is set) rather than capturing it, so that
/// the graph holds no reference cycle: output → node → inputs, never back.
final class GradientNode {
    /// The tensors the operation read; the graph edges.
    let inputs: [Tensor]
    /// Reads `output.gradient` (and, if needed, `output.values`) and accumulates into the inputs.
    let backward: (_ output: Tensor) -> Void

    init(inputs: [Tensor], backward: @escaping (_ output: Tensor) -> Void) {
        self.inputs = inputs
        self.backward = backward
    }
}

extension Tensor {
    /// True when an operation on `inputs` must be recorded: recording is on and some input needs a gradient.
    @inline(__always)
    static func shouldRecord(_ inputs: Tensor...) -> Bool {
        guard inputs.contains(where: { $0.requiresGradient }) else { return false }
        return GradientMode.isEnabled
    }

    /// Marks this result as produced from `inputs`, with `backward` to run during `backward()`.
    func record(inputs: [Tensor], backward: @escaping (_ output: Tensor) -> Void) {
        requiresGradient = true
        node = GradientNode(inputs: inputs, backward: backward)
    }

    /// Adds `contribution` (same count as `values`) to `gradient`, taking ownership when it is the first.
    func accumulateGradient(_ contribution: [Float]) {
        guard requiresGradient else { return }
        precondition(contribution.count == values.count, "gradient of \(contribution.count) for shape \(shape)")
        if var existing = gradient {
            gradient = nil
            existing.withUnsafeMutableBufferPointer { target in
                contribution.withUnsafeBufferPointer { source in
                    BLAS.axpy(count: source.count, alpha: 1, x: source.baseAddress!, y: target.baseAddress!)
                }
            }
            gradient = existing
        } else {
            gradient = contribution
        }
    }

    /// Reverse-mode differentiation from this tensor.
    ///
    /// Seeds dself = `seed` (default: 1 for a one-element tensor), visits every recorded operation in reverse
    /// topological order and accumulates dself/dleaf into each leaf's `gradient` (gradients add up across
    /// calls until `zeroGradient()`). Gradients of intermediate results are released once propagated.
    public func backward(seed: [Float]? = nil) {
        let start = seed ?? {
            precondition(values.count == 1, "backward(): seed required for a tensor of shape \(shape)")
            return [1]
        }()
        precondition(start.count == values.count, "backward(): seed of \(start.count) for shape \(shape)")

        // Iterative depth-first post-order: parents come after all their inputs.
        var order: [Tensor] = []
        var visited = Set<ObjectIdentifier>()
        var stack: [(tensor: Tensor, expanded: Bool)] = [(self, false)]
        while let (tensor, expanded) = stack.popLast() {
            if expanded {
                order.append(tensor)
                continue
            }
            guard visited.insert(ObjectIdentifier(tensor)).inserted else { continue }
            stack.append((tensor, true))
            if let node = tensor.node {
                for input in node.inputs where input.requiresGradient && !visited.contains(ObjectIdentifier(input)) {
                    stack.append((input, false))
                }
            }
        }

        if node != nil { gradient = nil }
        accumulateGradient(start)
        for tensor in order.reversed() {
            guard let node = tensor.node, tensor.gradient != nil else { continue }
            node.backward(tensor)
            tensor.gradient = nil
        }
    }
}
