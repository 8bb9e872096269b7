import Tensor

/// Which side of a triple is being predicted (and so replaced by candidate entities).
enum PredictionSide: Sendable {
    /// Rank candidate heads for (?, r, t): the query is built from the tail (the anchor) and r.
    case head
    /// Rank candidate tails for (h, r, ?): the query is built from the head (the anchor) and r.
    case tail
}

/// Every model's score reduced to one form: s(h, r, t) = metric(q, e), where the query q (entityWidth floats) is
/// built from the anchor entity and the relation, and e is the candidate entity on the predicted side.
///
/// Complex vectors are stored as D real parts then D imaginary parts (width 2D). With a = Re, b = Im:
///
/// | model    | tail query q(h, r)        | head query q(t, r)         | metric     |
/// |----------|---------------------------|----------------------------|------------|
/// | TransE   | h + r                     | t − r                      | l1 or l2   |
/// | DistMult | h ∘ r                     | t ∘ r                      | dot        |
/// | ComplEx  | h·r (complex product)     | conj(r)·t                  | dot        |
/// | RotatE   | h·e^{iθ}                  | t·e^{−iθ}                  | complexL1 or l2 |
///
/// so that ComplEx's Re Σ h r conj(t) = ⟨h·r, t⟩ = ⟨conj(r)·t, h⟩ as real dot products of packed vectors, and
/// RotatE's |h·r − t| = |h − t·conj(r)| since |r_i| = 1. RotatE relations are stored as raw values ρ with phase
/// θ = ρ·phaseScale (Sun et al.: ρ ~ U(−range, range), phaseScale = π/range).
struct ScoreFunction: Sendable {
    let model: EmbeddingModelKind
    /// D: real dimension (TransE, DistMult) or complex dimension (ComplEx, RotatE).
    let dimension: Int
    let entityWidth: Int
    let relationWidth: Int
    let metric: EntityMetric
    /// RotatE: θ = ρ·phaseScale; 1 elsewhere.
    let phaseScale: Float

    /// The score function of `config`; `relationsArePhases` says RotatE relations hold θ itself (phaseScale 1,
    /// as in an exported `EmbeddingModel`) rather than the raw training parameter ρ.
    init(config: EmbeddingConfig, relationsArePhases: Bool) {
        model = config.model
        dimension = config.dimension
        entityWidth = config.entityWidth
        relationWidth = config.relationWidth
        switch config.model {
        case .transE: metric = config.norm == 1 ? .l1 : .l2
        case .rotate: metric = config.norm == 1 ? .complexL1 : .l2
        case .distMult, .complEx: metric = .dot
        }
        phaseScale = config.model == .rotate && !relationsArePhases ? Float.pi / config.effectiveInitializationRange : 1
    }

    /// Writes the query q (entityWidth floats) for `side` from the anchor entity vector and the relation vector.
    ///
    /// For RotatE, `rotation` may hold the relation's precomputed (cos θ_i, sin θ_i) as 2D floats (cosines then
    /// sines), saving the trigonometry; otherwise they are computed from the relation vector.
    @inline(__always)
    func makeQuery(
        side: PredictionSide, anchor: UnsafePointer<Float>, relation: UnsafePointer<Float>,
        query: UnsafeMutablePointer<Float>, rotation: UnsafePointer<Float>? = nil
    ) {
        let d = dimension
        switch model {
        case .transE:
            let sign: Float = side == .tail ? 1 : -1
            for i in 0..<d { query[i] = anchor[i] + sign * relation[i] }
        case .distMult:
            for i in 0..<d { query[i] = anchor[i] * relation[i] }
        case .complEx:
            for i in 0..<d {
                let aA = anchor[i], bA = anchor[d + i], aR = relation[i], bR = relation[d + i]
                if side == .tail {  // h·r
                    query[i] = aA * aR - bA * bR
                    query[d + i] = aA * bR + bA * aR
                } else {  // conj(r)·t
                    query[i] = aR * aA + bR * bA
                    query[d + i] = aR * bA - bR * aA
                }
            }
        case .rotate:
            for i in 0..<d {
                let c: Float, s: Float
                if let rotation {
                    c = rotation[i]
                    s = rotation[d + i]
                } else {
                    let theta = relation[i] * phaseScale
                    c = cosine(theta)
                    s = sine(theta)
                }
                let a = anchor[i], b = anchor[d + i]
                if side == .tail {  // h·e^{iθ}
                    query[i] = a * c - b * s
                    query[d + i] = a * s + b * c
                } else {  // t·e^{−iθ}
                    query[i] = a * c + b * s
                    query[d + i] = b * c - a * s
                }
            }
        }
    }

    /// Given g = ∂L/∂q, adds ∂L/∂anchor to `gradientAnchor` and ∂L/∂relation to `gradientRelation`.
    ///
    /// - TransE:   ∂L/∂anchor = g; ∂L/∂r = ±g (+ for tail queries, − for head queries).
    /// - DistMult: ∂L/∂anchor = g ∘ r; ∂L/∂r = g ∘ anchor.
    /// - ComplEx tail (q = h·r):      ∂L/∂h = g·conj(r), ∂L/∂r = g·conj(h).
    ///   ComplEx head (q = conj(r)·t): ∂L/∂t = g·r, ∂L/∂(a_r, b_r) = (g_a a_t + g_b b_t, g_a b_t − g_b a_t).
    /// - RotatE tail (q = h·e^{iθ}):  ∂L/∂h = g·e^{−iθ}, ∂L/∂θ = −g_a q_b + g_b q_a.
    ///   RotatE head (q = t·e^{−iθ}): ∂L/∂t = g·e^{iθ}, ∂L/∂θ = g_a q_b − g_b q_a; ∂L/∂ρ = ∂L/∂θ·phaseScale.
    /// (Products of packed complex vectors are element-wise complex products; g_a, g_b are the real and imaginary
    /// halves of g.)
    @inline(__always)
    func backpropagateQuery(
        side: PredictionSide, anchor: UnsafePointer<Float>, relation: UnsafePointer<Float>,
        gradientQuery g: UnsafePointer<Float>,
        gradientAnchor: UnsafeMutablePointer<Float>, gradientRelation: UnsafeMutablePointer<Float>,
        rotation: UnsafePointer<Float>? = nil
    ) {
        let d = dimension
        switch model {
        case .transE:
            let sign: Float = side == .tail ? 1 : -1
            for i in 0..<d {
                gradientAnchor[i] += g[i]
                gradientRelation[i] += sign * g[i]
            }
        case .distMult:
            for i in 0..<d {
                gradientAnchor[i] += g[i] * relation[i]
                gradientRelation[i] += g[i] * anchor[i]
            }
        case .complEx:
            for i in 0..<d {
                let aA = anchor[i], bA = anchor[d + i], aR = relation[i], bR = relation[d + i]
                let gA = g[i], gB = g[d + i]
                if side == .tail {
                    gradientAnchor[i] += gA * aR + gB * bR
                    gradientAnchor[d + i] += -gA * bR + gB * aR
                    gradientRelation[i] += gA * aA + gB * bA
                    gradientRelation[d + i] += -gA * bA + gB * aA
                } else {
                    gradientAnchor[i] += gA * aR - gB * bR
                    gradientAnchor[d + i] += gA * bR + gB * aR
                    gradientRelation[i] += gA * aA + gB * bA
                    gradientRelation[d + i] += gA * bA - gB * aA
                }
            }
        case .rotate:
            for i in 0..<d {
                let c: Float, s: Float
                if let rotation {
                    c = rotation[i]
                    s = rotation[d + i]
                } else {
                    let theta = relation[i] * phaseScale
                    c = cosine(theta)
                    s = sine(theta)
                }
                let a = anchor[i], b = anchor[d + i]
                let gA = g[i], gB = g[d + i]
                if side == .tail {
                    let qA = a * c - b * s, qB = a * s + b * c
                    gradientAnchor[i] += gA * c + gB * s
                    gradientAnchor[d + i] += -gA * s + gB * c
                    gradientRelation[i] += (-gA * qB + gB * qA) * phaseScale
                } else {
                    let qA = a * c + b * s, qB = b * c - a * s
                    gradientAnchor[i] += gA * c - gB * s
                    gradientAnchor[d + i] += gA * s + gB * c
                    gradientRelation[i] += (gA * qB - gB * qA) * phaseScale
                }
            }
        }
    }

    /// Writes the RotatE rotation table of a relation: (cos θ_i, sin θ_i) for θ_i = ρ_i·phaseScale, 2D floats.
    func writeRotation(relation: UnsafePointer<Float>, into rotation: UnsafeMutablePointer<Float>) {
        for i in 0..<dimension {
            let theta = relation[i] * phaseScale
            rotation[i] = cosine(theta)
            rotation[dimension + i] = sine(theta)
        }
    }

    /// s(q, e) for one candidate entity vector.
    @inline(__always)
    func score(query: UnsafePointer<Float>, entity: UnsafePointer<Float>) -> Float {
        metric.score(query, entity, count: entityWidth)
    }

    /// Scores of one query against every entity: scores[j] = s(q, E[j]) for E row-major [entityCount, entityWidth].
    func scoreAll(
        query: UnsafePointer<Float>, entities: UnsafePointer<Float>, entityCount: Int,
        scores: UnsafeMutablePointer<Float>
    ) {
        if metric == .dot {
            BLAS.gemv(transposeA: false, m: entityCount, n: entityWidth, a: entities, lda: entityWidth,
                      x: query, y: scores)
            return
        }
        for j in 0..<entityCount {
            scores[j] = metric.score(query, entities + j * entityWidth, count: entityWidth)
        }
    }

    /// Adds the N3 regulariser's gradient of weight·Σ|x_i|³ for one vector of `width` floats to `gradient` and
    /// returns the regulariser's value. Complex vectors use moduli: weight·Σ_i |z_i|³ with gradient
    /// 3·weight·|z_i|·(a_i, b_i); real vectors use 3·weight·|x_i|·x_i.
    @inline(__always)
    static func accumulateN3(
        vector: UnsafePointer<Float>, width: Int, isComplex: Bool, weight: Float,
        gradient: UnsafeMutablePointer<Float>
    ) -> Float {
        var value: Float = 0
        if isComplex {
            let half = width / 2
            for i in 0..<half {
                let a = vector[i], b = vector[half + i]
                let modulus = (a * a + b * b).squareRoot()
                value += modulus * modulus * modulus
                gradient[i] += 3 * weight * modulus * a
                gradient[half + i] += 3 * weight * modulus * b
            }
        } else {
            for i in 0..<width {
                let x = vector[i], magnitude = abs(x)
                value += magnitude * magnitude * magnitude
                gradient[i] += 3 * weight * magnitude * x
            }
        }
        return weight * value
    }
}
