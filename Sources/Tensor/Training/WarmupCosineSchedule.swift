import Foundation

/// Linear warm-up to a peak learning rate, then cosine decay to a floor.
///
/// η(t) = η_peak·(t + 1)/W for t < W; then with progress u = min(1, (t − W)/(T − W)):
/// η(t) = η_min + (η_peak − η_min)·½·(1 + cos(π·u)). t counts steps from 0.
public struct WarmupCosineSchedule: Sendable {
    /// The learning rate at the end of warm-up.
    public let peak: Float
    /// The floor reached at `totalSteps`.
    public let minimum: Float
    /// W, the warm-up length in steps.
    public let warmupSteps: Int
    /// T, the step at which the decay reaches `minimum`.
    public let totalSteps: Int

    /// Creates the schedule; `totalSteps` should exceed `warmupSteps`.
    public init(peak: Float, warmupSteps: Int, totalSteps: Int, minimum: Float = 0) {
        precondition(warmupSteps >= 0 && totalSteps >= warmupSteps, "WarmupCosineSchedule: warm-up \(warmupSteps), total \(totalSteps)")
        self.peak = peak
        self.minimum = minimum
        self.warmupSteps = warmupSteps
        self.totalSteps = totalSteps
    }

    /// η(t) for step t ≥ 0.
    public func learningRate(step: Int) -> Float {
        if step < warmupSteps { return peak * Float(step + 1) / Float(warmupSteps) }
        let span = Swift.max(totalSteps - warmupSteps, 1)
        let progress = Swift.min(1, Double(step - warmupSteps) / Double(span))
        return minimum + (peak - minimum) * Float(0.5 * (1 + Foundation.cos(Double.pi * progress)))
    }
}
