/// Fused, SIMD-vectorised loops over contiguous Float32 vectors: the inner loops of training and ranking.
///
/// Every function takes raw pointers to `count` contiguous floats and works 8 lanes at a time with a scalar tail.
/// The score of a query q against an entity e is one of:
/// - `l1`:        s = −Σ_i |q_i − e_i|
/// - `l2`:        s = −√(Σ_i (q_i − e_i)²)
/// - `complexL1`: s = −Σ_{i<D} |z_i| with z_i = (q_i − e_i) + i·(q_{D+i} − e_{D+i}), count = 2D (reals, then imaginaries)
/// - `dot`:       s = Σ_i q_i e_i
enum EntityMetric: Sendable {
    case l1, l2, complexL1, dot
}

/// 8-lane load from an unaligned Float pointer.
@inline(__always)
func loadVector(_ pointer: UnsafePointer<Float>, _ offset: Int) -> SIMD8<Float> {
    UnsafeRawPointer(pointer + offset).loadUnaligned(as: SIMD8<Float>.self)
}

/// 8-lane store to an unaligned Float pointer.
@inline(__always)
func storeVector(_ value: SIMD8<Float>, _ pointer: UnsafeMutablePointer<Float>, _ offset: Int) {
    UnsafeMutableRawPointer(pointer + offset).storeBytes(of: value, as: SIMD8<Float>.self)
}

extension EntityMetric {
    /// s(q, e) over `count` floats (for `complexL1`, count = 2D).
    @inline(__always)
    func score(_ q: UnsafePointer<Float>, _ e: UnsafePointer<Float>, count: Int) -> Float {
        switch self {
        case .l1:
            var accumulator = SIMD8<Float>()
            var i = 0
            while i + 8 <= count {
                let x = loadVector(q, i) - loadVector(e, i)
                accumulator += x.replacing(with: -x, where: x .< 0)
                i += 8
            }
            var total = accumulator.sum()
            while i < count { total += abs(q[i] - e[i]); i += 1 }
            return -total
        case .l2:
            var accumulator = SIMD8<Float>()
            var i = 0
            while i + 8 <= count {
                let x = loadVector(q, i) - loadVector(e, i)
                accumulator += x * x
                i += 8
            }
            var total = accumulator.sum()
            while i < count { let x = q[i] - e[i]; total += x * x; i += 1 }
            return -total.squareRoot()
        case .complexL1:
            let half = count / 2
            var accumulator = SIMD8<Float>()
            var i = 0
            while i + 8 <= half {
                let x = loadVector(q, i) - loadVector(e, i)
                let y = loadVector(q, half + i) - loadVector(e, half + i)
                accumulator += (x * x + y * y).squareRoot()
                i += 8
            }
            var total = accumulator.sum()
            while i < half {
                let x = q[i] - e[i], y = q[half + i] - e[half + i]
                total += (x * x + y * y).squareRoot()
                i += 1
            }
            return -total
        case .dot:
            var accumulator = SIMD8<Float>()
            var i = 0
            while i + 8 <= count {
                accumulator += loadVector(q, i) * loadVector(e, i)
                i += 8
            }
            var total = accumulator.sum()
            while i < count { total += q[i] * e[i]; i += 1 }
            return total
        }
    }

    /// Adds c·∂s/∂q to `gradientQuery` and c·∂s/∂e to `gradientEntity` (either may be nil to skip it).
    ///
    /// - l1:        ∂s/∂q = −sign(q − e),  ∂s/∂e = +sign(q − e)  (sign(0) = 0)
    /// - l2:        ∂s/∂q = −(q − e)/‖q − e‖, ∂s/∂e = +(q − e)/‖q − e‖  (0 when q = e)
    /// - complexL1: ∂s/∂(Re q_i, Im q_i) = −(x_i, y_i)/|z_i|, ∂s/∂e = +(x_i, y_i)/|z_i|  (0 when z_i = 0)
    /// - dot:       ∂s/∂q = e, ∂s/∂e = q
    @inline(__always)
    func accumulateGradient(
        _ q: UnsafePointer<Float>, _ e: UnsafePointer<Float>, count: Int, coefficient c: Float,
        gradientQuery: UnsafeMutablePointer<Float>?, gradientEntity: UnsafeMutablePointer<Float>?
    ) {
        switch self {
        case .dot:
            if let gq = gradientQuery { axpyLoop(count: count, alpha: c, x: e, y: gq) }
            if let ge = gradientEntity { axpyLoop(count: count, alpha: c, x: q, y: ge) }
        case .l1:
            let zero = SIMD8<Float>(), plus = SIMD8<Float>(repeating: c), minus = SIMD8<Float>(repeating: -c)
            var i = 0
            while i + 8 <= count {
                let x = loadVector(q, i) - loadVector(e, i)
                // c·sign(x)
                let signed = zero.replacing(with: plus, where: x .> 0).replacing(with: minus, where: x .< 0)
                if let gq = gradientQuery { storeVector(loadVector(gq, i) - signed, gq, i) }
                if let ge = gradientEntity { storeVector(loadVector(ge, i) + signed, ge, i) }
                i += 8
            }
            while i < count {
                let x = q[i] - e[i]
                let signed: Float = x > 0 ? c : (x < 0 ? -c : 0)
                gradientQuery?[i] -= signed
                gradientEntity?[i] += signed
                i += 1
            }
        case .l2:
            let distance = -score(q, e, count: count)
            guard distance > 0 else { return }
            let scale = c / distance
            let scaleVector = SIMD8<Float>(repeating: scale)
            var i = 0
            while i + 8 <= count {
                let x = (loadVector(q, i) - loadVector(e, i)) * scaleVector
                if let gq = gradientQuery { storeVector(loadVector(gq, i) - x, gq, i) }
                if let ge = gradientEntity { storeVector(loadVector(ge, i) + x, ge, i) }
                i += 8
            }
            while i < count {
                let x = (q[i] - e[i]) * scale
                gradientQuery?[i] -= x
                gradientEntity?[i] += x
                i += 1
            }
        case .complexL1:
            let half = count / 2
            let cVector = SIMD8<Float>(repeating: c)
            let tiny = SIMD8<Float>(repeating: 1e-30)
            var i = 0
            while i + 8 <= half {
                let x = loadVector(q, i) - loadVector(e, i)
                let y = loadVector(q, half + i) - loadVector(e, half + i)
                let factor = cVector / (x * x + y * y).squareRoot().replacing(with: tiny, where: (x * x + y * y) .== 0)
                let gx = x * factor, gy = y * factor
                if let gq = gradientQuery {
                    storeVector(loadVector(gq, i) - gx, gq, i)
                    storeVector(loadVector(gq, half + i) - gy, gq, half + i)
                }
                if let ge = gradientEntity {
                    storeVector(loadVector(ge, i) + gx, ge, i)
                    storeVector(loadVector(ge, half + i) + gy, ge, half + i)
                }
                i += 8
            }
            while i < half {
                let x = q[i] - e[i], y = q[half + i] - e[half + i]
                let modulus = (x * x + y * y).squareRoot()
                if modulus > 0 {
                    let gx = c * x / modulus, gy = c * y / modulus
                    gradientQuery?[i] -= gx
                    gradientQuery?[half + i] -= gy
                    gradientEntity?[i] += gx
                    gradientEntity?[half + i] += gy
                }
                i += 1
            }
        }
    }
}

/// y += alpha·x over `count` floats, inlined (BLAS.axpy costs a call per short vector).
@inline(__always)
func axpyLoop(count: Int, alpha: Float, x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>) {
    let alphaVector = SIMD8<Float>(repeating: alpha)
    var i = 0
    while i + 8 <= count {
        storeVector(loadVector(y, i) + alphaVector * loadVector(x, i), y, i)
        i += 8
    }
    while i < count { y[i] += alpha * x[i]; i += 1 }
}

