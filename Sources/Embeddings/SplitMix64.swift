import Foundation

/// SplitMix64 (Steele, Lea & Flood 2014): a tiny seeded generator whose streams are cheap to derive.
///
/// kgfuse derives one generator per (seed, epoch, triple position) with `SplitMix64(mixing:)`, so the negatives
/// drawn for a triple do not depend on how a batch is split across threads.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    /// A generator started at `seed`.
    init(seed: UInt64) {
        state = seed
    }

    /// A generator whose seed mixes several values (for example seed, epoch and position).
    init(mixing values: UInt64...) {
        var accumulated: UInt64 = 0x243F_6A88_85A3_08D3
        for value in values {
            accumulated = SplitMix64.finalize(accumulated ^ value &+ 0x9E37_79B9_7F4A_7C15)
        }
        state = accumulated
    }

    /// The SplitMix64 output function: a bijective 64-bit mix.
    static func finalize(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// The next 64 random bits.
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return SplitMix64.finalize(state)
    }

    /// A uniform integer in 0..<bound (multiply-shift on 32 bits; bias below 2^-32·bound, irrelevant here).
    @inline(__always)
    mutating func nextIndex(below bound: Int) -> Int {
        Int((UInt64(UInt32(truncatingIfNeeded: next() >> 32)) &* UInt64(bound)) >> 32)
    }

    /// A uniform Float in [0, 1) with 24 random bits.
    @inline(__always)
    mutating func nextUnitFloat() -> Float {
        Float(next() >> 40) * (1.0 / 16_777_216.0)
    }

    /// A standard normal sample (Box–Muller).
    mutating func nextGaussian() -> Float {
        let u1 = max(Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0), 1e-300)
        let u2 = Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
        return Float((-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2))
    }
}

