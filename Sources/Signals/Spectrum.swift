import Foundation

/// A one-sided amplitude spectrum with its frequency axis: `amplitudes[k]` at `k · resolution` Hz.
///
/// Amplitudes are in the signal's own units (for CWRU: g), corrected for the window's coherent gain so that a
/// sinusoid `a·sin(2πft)` centred on a bin reads `a`:
/// `A[0] = |X[0]| / Σw`, `A[k] = 2·|X[k]| / Σw` for `0 < k < N/2`, `A[N/2] = |X[N/2]| / Σw` (N even),
/// where `X = rFFT(w · x)` of N samples. There are `N/2 + 1` bins, spaced `sampleRate / N` Hz.
public struct Spectrum: Sendable, Equatable {
    /// Amplitude per bin, `N/2 + 1` values.
    public var amplitudes: [Float]
    /// Bin spacing `sampleRate / N` (Hz).
    public var resolution: Double
    /// The sample rate of the analysed signal (Hz).
    public var sampleRate: Double

    /// Wraps amplitudes already computed.
    public init(amplitudes: [Float], resolution: Double, sampleRate: Double) {
        self.amplitudes = amplitudes
        self.resolution = resolution
        self.sampleRate = sampleRate
    }

    /// The frequency of bin k, `k · resolution` (Hz).
    public func frequency(ofBin bin: Int) -> Double { Double(bin) * resolution }

    /// The frequency axis, one value per bin (Hz).
    public var frequencies: [Double] { amplitudes.indices.map { Double($0) * resolution } }

    /// The magnitude spectrum of `samples` (N = `samples.count` ≥ 2) at `sampleRate`, after multiplying by
    /// `window` (periodic Hann by default). See the type's doc for the scaling.
    public static func magnitude(of samples: [Float], sampleRate: Double, window: Window = .hann) -> Spectrum {
        precondition(samples.count >= 2, "a spectrum needs at least 2 samples")
        precondition(sampleRate > 0, "sample rate must be positive")
        let count = samples.count
        let transform = RealFourierTransform(size: count)
        let coefficients = WindowCache.shared.coefficients(window, length: count)
        let input = transform.input
        var windowSum: Double = 0
        for index in 0..<count {
            input[index] = coefficients[index] * samples[index]
            windowSum += Double(coefficients[index])
        }
        transform.execute()
        return Spectrum(fromTransformOutput: transform.output, count: count, windowSum: Float(windowSum),
                        sampleRate: sampleRate)
    }

    /// Builds the scaled one-sided amplitudes from interleaved r2c output of an N-point transform.
    init(fromTransformOutput output: UnsafeMutableBufferPointer<Float>, count: Int, windowSum: Float, sampleRate: Double) {
        let bins = count / 2 + 1
        var amplitudes = [Float](repeating: 0, count: bins)
        let single = 1 / windowSum
        for bin in 0..<bins {
            let real = output[2 * bin]
            let imaginary = output[2 * bin + 1]
            let magnitude = (real * real + imaginary * imaginary).squareRoot()
            let isEdge = bin == 0 || (count % 2 == 0 && bin == count / 2)
            amplitudes[bin] = magnitude * (isEdge ? single : 2 * single)
        }
        self.init(amplitudes: amplitudes, resolution: sampleRate / Double(count), sampleRate: sampleRate)
    }
}
