/// Branch-free Float32 exp and erf that the compiler can vectorise (libm's expf and erff are per-element calls).

/// eˣ with relative error below 1e-7 on [−87, 88]; inputs above 88.38 are clamped, and inputs below −87.34 give
/// exactly 0 (where eˣ would be subnormal), so masked scores (−1e9) get exactly zero weight in a softmax.
///
/// Method (Cephes expf): n = round(x·log₂e) by the 1.5·2²³ magic-number trick, r = x − n·ln2 (ln2 in two
/// parts), eʳ = 1 + r + r²·p(r) with Cephes' degree-5 p (evaluated by Estrin's scheme), 2ⁿ built in the exponent
/// bits with wrapping integer arithmetic.
@inline(__always)
func fastExp(_ input: Float) -> Float {
    let x = Swift.min(Swift.max(input, -87.33654), 88.37626)
    let magic: Float = 12_582_912 // 1.5·2²³: adding it rounds to an integer held in the low mantissa bits.
    let shifted = x * 1.442_695_04 + magic
    let n = shifted - magic
    var r = x - n * 0.693_359_375
    r = r - n * -2.121_944_40e-4
    // The degree-5 polynomial by Estrin's scheme (independent products of powers of r, a short dependency chain).
    let r2 = r * r
    let r4 = r2 * r2
    let p = (r * 1.666_666_545_9e-1 + 5.000_000_120_1e-1) + (r * 8.333_451_907_3e-3 + 4.166_579_589_4e-2) * r2
        + (r * 1.987_569_150_0e-4 + 1.398_199_950_7e-3) * r4
    let expR = p * r2 + r + 1
    let scale = Float(bitPattern: (shifted.bitPattern &- 0x4B40_0000 &+ 127) &<< 23)
    return input < -87.33654 ? 0 : expR * scale
}

/// `fastExp` on eight lanes: the same operations lane by lane, so each lane equals the scalar result (relative
/// error below 1e-7 against eˣ on [−87, 88]; exactly 0 below −87.34, including −∞; 1 at 0).
@inline(__always)
func fastExp(_ input: SIMD8<Float>) -> SIMD8<Float> {
    // Clamp with masks (the generic pointwiseMin/pointwiseMax are not inlined).
    let lower = SIMD8<Float>(repeating: -87.33654), upper = SIMD8<Float>(repeating: 88.37626)
    var x = input.replacing(with: lower, where: input .< lower)
    x.replace(with: upper, where: x .> upper)
    let magic = SIMD8<Float>(repeating: 12_582_912)
    let shifted = x * 1.442_695_04 + magic
    let n = shifted - magic
    var r = x - n * 0.693_359_375
    r = r - n * -2.121_944_40e-4
    // The degree-5 polynomial by Estrin's scheme (independent products of powers of r, a short dependency chain).
    let r2 = r * r
    let r4 = r2 * r2
    let p = (r * 1.666_666_545_9e-1 + 5.000_000_120_1e-1) + (r * 8.333_451_907_3e-3 + 4.166_579_589_4e-2) * r2
        + (r * 1.987_569_150_0e-4 + 1.398_199_950_7e-3) * r4
    let expR = p * r2 + r + 1
    let bits = (unsafeBitCast(shifted, to: SIMD8<Int32>.self) &- 0x4B40_0000 &+ 127) &<< 23
    let result = expR * unsafeBitCast(bits, to: SIMD8<Float>.self)
    return result.replacing(with: 0, where: input .< lower)
}

/// eˣ of `count` floats from `input` into `output` (which may be `input`), eight lanes at a time with `fastExp`;
/// every element equals the scalar `fastExp` of it.
public func vectorExp(_ input: UnsafePointer<Float>, into output: UnsafeMutablePointer<Float>, count: Int) {
    var index = 0
    while index + 8 <= count {
        let x = UnsafeRawPointer(input + index).loadUnaligned(as: SIMD8<Float>.self)
        UnsafeMutableRawPointer(output + index).storeBytes(of: fastExp(x), as: SIMD8<Float>.self)
        index += 8
    }
    while index < count {
        output[index] = fastExp(input[index])
        index += 1
    }
}

/// erf(x) with absolute error below 5e-7, as the rational approximation of Eigen and XLA:
/// erf(x) ≈ x·α(x²)/β(x²) on x clamped to [−4, 4] (beyond which erf is ±1 in Float32),
/// α of degree 6 and β of degree 4 in x², evaluated by Estrin's scheme (products of powers of x² side by side
/// rather than one chain of multiply-adds, so the vector form does not wait on a long dependency chain).
@inline(__always)
func fastErf(_ input: Float) -> Float {
    let x = Swift.min(Swift.max(input, -4), 4)
    let y = x * x
    let y2 = y * y
    let y4 = y2 * y2
    let p = ((y * -2.954_599_808_540_25e-03 + -1.609_603_332_624_15e-02)
        + (y * -5.692_506_394_623_46e-05 + -7.349_906_303_268_55e-04) * y2)
        + ((y * 2.770_681_424_959_02e-08 + -2.101_024_020_825_08e-06) + y2 * -2.726_142_258_013_06e-10) * y4
    let q = ((y * -7.373_329_167_204_68e-03 + -1.426_473_905_141_89e-02)
        + (y * -2.133_740_552_789_05e-04 + -1.682_826_974_382_03e-03) * y2)
        + y4 * -1.456_607_184_649_96e-05
    return x * p / q
}

/// Σ of `count` floats with eight independent accumulators (one eight-lane vector, so the additions pipeline),
/// added up as ((s₀ + s₁) + (s₂ + s₃)) + ((s₄ + s₅) + (s₆ + s₇)), then the tail in order.
@inline(__always)
func fastSum(_ values: UnsafePointer<Float>, count: Int) -> Float {
    var partial = SIMD8<Float>()
    var index = 0
    while index + 8 <= count {
        partial += UnsafeRawPointer(values + index).loadUnaligned(as: SIMD8<Float>.self)
        index += 8
    }
    var total = ((partial[0] + partial[1]) + (partial[2] + partial[3]))
        + ((partial[4] + partial[5]) + (partial[6] + partial[7]))
    while index < count {
        total += values[index]
        index += 1
    }
    return total
}

/// `fastErf` on eight lanes: the same operations lane by lane, so each lane equals the scalar result.
@inline(__always)
func fastErf(_ input: SIMD8<Float>) -> SIMD8<Float> {
    // Clamp with masks (the generic pointwiseMin/pointwiseMax are not inlined).
    let lower = SIMD8<Float>(repeating: -4), upper = SIMD8<Float>(repeating: 4)
    var x = input.replacing(with: lower, where: input .< lower)
    x.replace(with: upper, where: x .> upper)
    let y = x * x
    let y2 = y * y
    let y4 = y2 * y2
    let p = ((y * -2.954_599_808_540_25e-03 + -1.609_603_332_624_15e-02)
        + (y * -5.692_506_394_623_46e-05 + -7.349_906_303_268_55e-04) * y2)
        + ((y * 2.770_681_424_959_02e-08 + -2.101_024_020_825_08e-06) + y2 * -2.726_142_258_013_06e-10) * y4
    let q = ((y * -7.373_329_167_204_68e-03 + -1.426_473_905_141_89e-02)
        + (y * -2.133_740_552_789_05e-04 + -1.682_826_974_382_03e-03) * y2)
        + y4 * -1.456_607_184_649_96e-05
    return x * p / q
}

/// GELU(x) = x/2 · (1 + erf(x/√2)) of `count` values from `input` into `output` (which may be `input`),
/// eight lanes at a time with `fastErf`.
func geluValues(_ input: UnsafePointer<Float>, _ output: UnsafeMutablePointer<Float>, count: Int) {
    let inverseSquareRootTwo: Float = 0.70710678118654752
    var index = 0
    while index + 8 <= count {
        let x = UnsafeRawPointer(input + index).loadUnaligned(as: SIMD8<Float>.self)
        let y = 0.5 * x * (1 + fastErf(x * inverseSquareRootTwo))
        UnsafeMutableRawPointer(output + index).storeBytes(of: y, as: SIMD8<Float>.self)
        index += 8
    }
    while index < count {
        let x = input[index]
        output[index] = 0.5 * x * (1 + fastErf(x * inverseSquareRootTwo))
        index += 1
    }
}

/// Σ (xⱼ − mean)² over `count` floats, eight lanes at a time.
@inline(__always)
func centeredSquareSum(_ values: UnsafePointer<Float>, count: Int, mean: Float) -> Float {
    var accumulator = SIMD8<Float>()
    var index = 0
    while index + 8 <= count {
        let centered = UnsafeRawPointer(values + index).loadUnaligned(as: SIMD8<Float>.self) - mean
        accumulator += centered * centered
        index += 8
    }
    var total = accumulator.sum()
    while index < count {
        let centered = values[index] - mean
        total += centered * centered
        index += 1
    }
    return total
}

/// y = a + b over `count` floats, eight lanes at a time (`y` may be `a` or `b`).
@inlinable
public func addValues(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, count: Int) {
    var index = 0
    while index + 8 <= count {
        let sum = UnsafeRawPointer(a + index).loadUnaligned(as: SIMD8<Float>.self)
            + UnsafeRawPointer(b + index).loadUnaligned(as: SIMD8<Float>.self)
        UnsafeMutableRawPointer(y + index).storeBytes(of: sum, as: SIMD8<Float>.self)
        index += 8
    }
    while index < count {
        y[index] = a[index] + b[index]
        index += 1
    }
}
