public import Tensor

/// Turns linked knowledge-graph entities into tokens: a frozen entity table, a learned projection and a
/// learned direction along which each token's scalar shifts it.
///
/// token = W·e_i + b + s·u, with e_i the entity's row of `table` [E, k] (frozen: vectors from a trained
/// `EmbeddingModel`, or random ones), W [D, k], b [D] and u [D] learned, s the token's scalar (e.g. the
/// amplitude of the spectral peak the entity stands for). Shapes: indices [b, K], scalars [b, K] → [b, K, D].
/// Backward: dW = Σ dy·eᵀ, db = Σ dy, du = Σ s·dy; the table gets no gradient.
public final class KnowledgeTokenProjection: Layer {
    /// The entity table [E, k]; not trained.
    public let table: Tensor
    /// The projection k → D (`projection`).
    public let projection: Linear
    /// The scalar direction u [D] (`scalar_direction`).
    public let scalarDirection: Tensor
    /// Unused; kept for the `Layer` protocol.
    public var isTraining = true

    /// Creates the projection for a table of `entityCount` rows of `entityDimension`, filled N(0, 1/k) until
    /// `setTable` installs trained vectors.
    public init(entityCount: Int, entityDimension: Int, modelDimension: Int, generator: inout SeededGenerator) {
        table = Tensor.normal([entityCount, entityDimension], standardDeviation: 1 / Float(max(entityDimension, 1)).squareRoot(),
                              generator: &generator)
        projection = Linear(inputSize: entityDimension, outputSize: modelDimension, generator: &generator)
        scalarDirection = Tensor.normal([modelDimension], standardDeviation: 0.02, generator: &generator, requiresGradient: true)
    }

    /// `projection.*` and `scalar_direction` (the frozen table is saved separately by the checkpoint).
    public func namedParameters() -> [(String, Tensor)] {
        projection.namedParameters().map { ("projection.\($0.0)", $0.1) } + [("scalar_direction", scalarDirection)]
    }

    /// Replaces the table rows, [E·k] row-major; the count must match.
    public func setTable(_ values: [Float]) throws {
        guard values.count == table.count else {
            throw FusionError(message: "knowledge table: \(values.count) values for shape \(table.shape)")
        }
        table.assign(values: values)
    }

    /// Tokens for `indices` [b, K] (−1: empty slot, projected from row 0 and masked by the caller) with `scalars`;
    /// without gradient recording the projection runs on its packed weight (see `packedLinear`).
    public func callAsFunction(indices: [[Int]], scalars: [[Float]]) -> Tensor {
        let batch = indices.count
        let slots = indices.first?.count ?? 0
        let flat = indices.flatMap { $0.map { max($0, 0) } }
        let vectors = table.gatherRows(flat, indexShape: [batch, slots])
        let scalarTensor = Tensor(shape: [batch, slots, 1], values: scalars.flatMap { $0 })
        return packedLinear(projection, vectors) + scalarTensor * scalarDirection
    }
}
