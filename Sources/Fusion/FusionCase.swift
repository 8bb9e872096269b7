public import Tensor

/// One example for the fusion model: per-modality feature tokens (or nothing for a missing modality),
/// linked knowledge-graph entities with an optional scalar each, and a class label.
public struct FusionCase: Sendable {
    /// Per configured modality, in configuration order: n·f row-major features ([n, f]), or nil when missing.
    public var modalities: [[Float]?]
    /// Linked KG entities: row index into the KG table and the token's scalar (e.g. a peak amplitude; 0 if none).
    public var entities: [LinkedEntity]
    /// The class index, or nil for an unlabelled case.
    public var label: Int?
    /// A group key (e.g. the recording a window came from); never used by the model.
    public var group: String

    /// Creates a case.
    public init(modalities: [[Float]?], entities: [LinkedEntity] = [], label: Int?, group: String = "") {
        self.modalities = modalities
        self.entities = entities
        self.label = label
        self.group = group
    }
}

/// A KG entity linked to a case: its row in the model's entity table and a scalar that modulates its token.
public struct LinkedEntity: Sendable, Equatable {
    /// Row index in the KG entity table.
    public var index: Int
    /// The token's scalar s (token = W·e + b + s·u).
    public var scalar: Float

    /// Creates a link to entity row `index` with scalar `scalar`.
    public init(index: Int, scalar: Float = 0) {
        self.index = index
        self.scalar = scalar
    }
}

/// Cases packed for one forward pass: dense per-modality tensors, presence flags and KG slots.
public struct FusionBatch {
    /// The number of cases b.
    public let count: Int
    /// Per modality: [b, n, f] features (zeros for absent cases).
    public var features: [Tensor]
    /// Per modality, per case: whether the modality is present.
    public let present: [[Bool]]
    /// KG slots, [b][K]: entity rows, −1 for an empty slot.
    public let entityIndices: [[Int]]
    /// KG slot scalars, [b][K].
    public let entityScalars: [[Float]]
    /// Labels (−1 for unlabelled cases).
    public let labels: [Int]

    /// Packs `cases` for `configuration`; fails with a message naming the case and modality when shapes disagree.
    public init(cases: [FusionCase], configuration: FusionConfiguration) throws {
        count = cases.count
        var features: [Tensor] = []
        var present: [[Bool]] = []
        for (m, modality) in configuration.modalities.enumerated() {
            let width = modality.tokenCount * modality.featureSize
            var values = [Float](repeating: 0, count: cases.count * width)
            var flags = [Bool](repeating: false, count: cases.count)
            for (c, fusionCase) in cases.enumerated() {
                guard m < fusionCase.modalities.count, let row = fusionCase.modalities[m] else { continue }
                guard row.count == width else {
                    throw FusionError(message: "case \(c), modality \(modality.name): \(row.count) features, "
                                      + "need \(modality.tokenCount)×\(modality.featureSize) = \(width)")
                }
                values.replaceSubrange(c * width..<(c + 1) * width, with: row)
                flags[c] = true
            }
            features.append(Tensor(shape: [cases.count, modality.tokenCount, modality.featureSize], values: values))
            present.append(flags)
        }
        self.features = features
        self.present = present
        let slots = configuration.knowledgeTokenCount
        var indices: [[Int]] = []
        var scalars: [[Float]] = []
        for (c, fusionCase) in cases.enumerated() {
            let linked = configuration.usesKnowledgeTokens ? fusionCase.entities : []
            guard linked.count <= slots || !configuration.usesKnowledgeTokens else {
                throw FusionError(message: "case \(c): \(linked.count) linked entities, the model has \(slots) KG slots")
            }
            if let bad = linked.first(where: { $0.index < 0 || $0.index >= configuration.knowledgeEntityCount }) {
                throw FusionError(message: "case \(c): entity row \(bad.index) outside 0..<\(configuration.knowledgeEntityCount)")
            }
            indices.append(linked.map(\.index) + [Int](repeating: -1, count: slots - linked.count))
            scalars.append(linked.map(\.scalar) + [Float](repeating: 0, count: slots - linked.count))
        }
        entityIndices = indices
        entityScalars = scalars
        labels = cases.map { $0.label ?? -1 }
        if let bad = labels.firstIndex(where: { $0 >= configuration.classCount }) {
            throw FusionError(message: "case \(bad): label \(labels[bad]) outside 0..<\(configuration.classCount)")
        }
    }
}

/// A fusion error with a message naming the file, case, field or tensor at fault.
public struct FusionError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What is wrong and where.
    public let message: String

    /// Creates an error with `message`.
    public init(message: String) { self.message = message }

    /// The message.
    public var description: String { message }
}
