import Foundation

/// Band-limited rational resampling by a polyphase windowed-sinc FIR, the same filter and alignment as
/// `scipy.signal.resample_poly(x, up, down)` with its default `window=('kaiser', 5.0)`.
///
/// With `up/down = targetRate/sourceRate` reduced by their gcd, `L = 10·max(up, down)` and cutoff
/// `f_c = 1/max(up, down)` (fraction of the source Nyquist after upsampling), the prototype low-pass is
/// `h[j] = up · g[j] / Σg`, `g[j] = f_c·sinc(f_c·(j − L))·kaiser_β=5(j)` for `j = 0 ... 2L` (2L+1 taps,
/// `sinc(x) = sin(πx)/(πx)`, symmetric Kaiser window `I0(β·√(1 − (j/L − 1)²)) / I0(β)`).
/// Output sample m (time `m·down/up` input samples) is `y[m] = Σ_k x[k] · h[m·down − k·up + L]` over the k where
/// the index lies in `0 ... 2L` (zeros outside the signal). Output length `⌈N·up/down⌉`.
/// The Kaiser β = 5 window gives about 50 dB stop-band attenuation; the transition band is centred on the
/// lower of the two Nyquist frequencies. Sums are accumulated in Double.
public struct Resampler: Sendable {
    /// Input rate (Hz).
    public let sourceRate: Int
    /// Output rate (Hz).
    public let targetRate: Int
    /// Upsampling factor, `targetRate / gcd`.
    public let up: Int
    /// Downsampling factor, `sourceRate / gcd`.
    public let down: Int
    /// The filter taps `h`, `2L + 1` of them, already multiplied by `up`.
    public let taps: [Double]

    /// Prepares a resampler from `sourceRate` to `targetRate` Hz (both positive).
    public init(from sourceRate: Int, to targetRate: Int) {
        precondition(sourceRate > 0 && targetRate > 0, "sample rates must be positive")
        self.sourceRate = sourceRate
        self.targetRate = targetRate
        var a = sourceRate, b = targetRate
        while b != 0 { (a, b) = (b, a % b) }
        up = targetRate / a
        down = sourceRate / a
        let maximum = max(up, down)
        let halfLength = 10 * maximum
        let cutoff = 1 / Double(maximum)
        let beta = 5.0
        let tapCount = 2 * halfLength + 1
        var filter = [Double](repeating: 0, count: tapCount)
        let normaliser = Self.besselI0(beta)
        for index in 0..<tapCount {
            let position = Double(index - halfLength)
            let argument = cutoff * position
            let sinc = argument == 0 ? 1 : sin(Double.pi * argument) / (Double.pi * argument)
            let ratio = 2 * Double(index) / Double(tapCount - 1) - 1
            let window = Self.besselI0(beta * (max(0, 1 - ratio * ratio)).squareRoot()) / normaliser
            filter[index] = cutoff * sinc * window
        }
        let sum = filter.reduce(0, +)
        let upFactor = Double(targetRate / a)
        taps = filter.map { $0 / sum * upFactor }
    }

    /// The output length for `count` input samples, `⌈count·up/down⌉`.
    public func outputCount(forInputCount count: Int) -> Int { (count * up + down - 1) / down }

    /// Resamples one channel.
    public func resample(_ samples: [Float]) -> [Float] {
        if up == 1 && down == 1 { return samples }
        let count = samples.count
        let outputs = outputCount(forInputCount: count)
        let halfLength = (taps.count - 1) / 2
        var result = [Float](repeating: 0, count: outputs)
        samples.withUnsafeBufferPointer { input in
            taps.withUnsafeBufferPointer { filter in
                for output in 0..<outputs {
                    let time = output * down
                    // k·up ∈ [time − L, time + L]
                    let firstNumerator = time - halfLength
                    var first = firstNumerator >= 0 ? (firstNumerator + up - 1) / up : -((-firstNumerator) / up)
                    var last = (time + halfLength) / up
                    first = max(first, 0)
                    last = min(last, count - 1)
                    var sum: Double = 0
                    if first <= last {
                        for index in first...last {
                            sum += Double(input[index]) * filter[time - index * up + halfLength]
                        }
                    }
                    result[output] = Float(sum)
                }
            }
        }
        return result
    }

    /// Resamples every channel of `signal`, which must be at `sourceRate`.
    public func resample(_ signal: AudioSignal) -> AudioSignal {
        precondition(signal.sampleRate == sourceRate, "signal is at \(signal.sampleRate) Hz, resampler expects \(sourceRate)")
        return AudioSignal(channels: signal.channels.map { resample($0) }, sampleRate: targetRate)
    }

    /// The modified Bessel function of the first kind, order 0: `Σ_k ((x/2)^k / k!)²` until terms < 1e-17 of the sum.
    static func besselI0(_ x: Double) -> Double {
        var sum = 1.0, term = 1.0, k = 1.0
        let half = x / 2
        while true {
            term *= (half / k) * (half / k)
            sum += term
            if term < sum * 1e-17 { break }
            k += 1
        }
        return sum
    }
}

extension AudioSignal {
    /// This signal resampled to `targetRate` Hz by `Resampler` (polyphase Kaiser windowed-sinc).
    public func resampled(to targetRate: Int) -> AudioSignal {
        Resampler(from: sampleRate, to: targetRate).resample(self)
    }
}
