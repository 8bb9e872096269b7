/// Gradient clipping by global norm, as PyTorch's `clip_grad_norm_`.
public enum GradientClipping {
    /// Scales every gradient by min(1, maxNorm/(‖g‖ + 1e-6)), ‖g‖ = √(Σ over all parameters of Σ g²);
    /// returns ‖g‖ before clipping. Parameters without a gradient are ignored.
    @discardableResult
    public static func clipGlobalNorm(_ parameters: [Tensor], maxNorm: Float) -> Float {
        var squares: Double = 0
        for parameter in parameters {
            guard let gradient = parameter.gradient else { continue }
            for value in gradient { squares += Double(value) * Double(value) }
        }
        let norm = Float(squares.squareRoot())
        let scale = maxNorm / (norm + 1e-6)
        if scale < 1 {
            for parameter in parameters where parameter.gradient != nil {
                parameter.gradient = parameter.gradient!.map { $0 * scale }
            }
        }
        return norm
    }
}
