/// Inverted dropout with its own seeded generator: active in training mode, the identity in evaluation mode.
///
/// Training: y = x·m/(1 − p), m ~ Bernoulli(1 − p). Evaluation: y = x.
public final class Dropout: Layer {
    /// The probability p of zeroing an element.
    public let probability: Float
    /// True in training mode.
    public var isTraining = true
    /// The source of the masks; seeded so runs repeat.
    public var generator: SeededGenerator

    /// Creates a dropout with probability p ∈ [0, 1) and a generator seeded with `seed`.
    public init(probability: Float, seed: UInt64) {
        precondition(probability >= 0 && probability < 1, "Dropout: probability \(probability) outside [0, 1)")
        self.probability = probability
        generator = SeededGenerator(seed: seed)
    }

    /// No parameters.
    public func namedParameters() -> [(String, Tensor)] { [] }

    /// Applies dropout in training mode; returns the input itself in evaluation mode.
    public func callAsFunction(_ input: Tensor) -> Tensor {
        guard isTraining, probability > 0 else { return input }
        return input.dropout(probability: probability, generator: &generator)
    }
}
