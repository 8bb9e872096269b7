import Foundation

/// A deterministic random number generator: xoshiro256** seeded through SplitMix64.
///
/// The same seed gives the same stream on every platform, so the same seed gives the same initial weights,
/// dropout masks and shuffles. Reference: Blackman & Vigna, "Scrambled linear pseudorandom number
/// generators" (2018), https://prng.di.unimi.it/xoshiro256starstar.c.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: (UInt64, UInt64, UInt64, UInt64)

    /// Seeds the four state words with four successive SplitMix64 outputs of `seed`.
    public init(seed: UInt64) {
        var splitMix = seed
        func nextSplitMix() -> UInt64 {
            splitMix &+= 0x9E37_79B9_7F4A_7C15
            var z = splitMix
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        state = (nextSplitMix(), nextSplitMix(), nextSplitMix(), nextSplitMix())
    }

    /// The next 64 random bits (xoshiro256**: result = rotl(s1·5, 7)·9).
    public mutating func next() -> UInt64 {
        let result = rotateLeft(state.1 &* 5, by: 7) &* 9
        let shifted = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= shifted
        state.3 = rotateLeft(state.3, by: 45)
        return result
    }

    private func rotateLeft(_ value: UInt64, by amount: UInt64) -> UInt64 {
        (value << amount) | (value >> (64 - amount))
    }

    /// A uniform Float in [0, 1) from the top 24 bits.
    public mutating func nextUniform() -> Float {
        Float(next() >> 40) * (1.0 / 16_777_216.0)
    }

    /// A standard normal sample (Box–Muller on two uniforms; u₁ is kept away from 0).
    public mutating func nextNormal() -> Float {
        let u1 = Double((next() >> 11) + 1) * (1.0 / 9_007_199_254_740_993.0)
        let u2 = Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
        return Float((-2 * Foundation.log(u1)).squareRoot() * Foundation.cos(2 * Double.pi * u2))
    }
}

extension Tensor {
    /// A tensor of independent samples from U(low, high).
    public static func uniform(_ shape: [Int], low: Float, high: Float, generator: inout SeededGenerator,
                               requiresGradient: Bool = false) -> Tensor {
        let values = (0..<elementCount(of: shape)).map { _ in low + (high - low) * generator.nextUniform() }
        return Tensor(shape: shape, values: values, requiresGradient: requiresGradient)
    }

    /// A tensor of independent samples from N(mean, standardDeviation²).
    public static func normal(_ shape: [Int], mean: Float = 0, standardDeviation: Float = 1,
                              generator: inout SeededGenerator, requiresGradient: Bool = false) -> Tensor {
        let values = (0..<elementCount(of: shape)).map { _ in mean + standardDeviation * generator.nextNormal() }
        return Tensor(shape: shape, values: values, requiresGradient: requiresGradient)
    }
}
