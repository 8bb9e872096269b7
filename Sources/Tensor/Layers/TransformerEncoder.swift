/// A stack of encoder blocks applied in order, named `layer.0`, `layer.1`, … as in Hugging Face BERT's `encoder`.
public final class TransformerEncoder: Layer {
    /// The blocks, first applied first.
    public let layers: [TransformerEncoderLayer]
    /// True in training mode.
    public var isTraining = true

    /// Wraps the given blocks.
    public init(layers: [TransformerEncoderLayer]) {
        self.layers = layers
    }

    /// `layer.0`, `layer.1`, ….
    public var children: [(String, any Layer)] {
        layers.enumerated().map { ("layer.\($0.offset)", $0.element) }
    }

    /// Every block's weights, prefixed `layer.N.`.
    public func namedParameters() -> [(String, Tensor)] { childParameters() }

    /// Runs every block: x [b, s, D], `additiveMask` [b, s] → [b, s, D].
    public func callAsFunction(_ input: Tensor, additiveMask: Tensor? = nil) -> Tensor {
        layers.reduce(input) { hidden, layer in layer(hidden, additiveMask: additiveMask) }
    }
}
