import Foundation

/// The envelope of a signal via its analytic signal (Hilbert transform), and the envelope spectrum that
/// bearing diagnosis reads.
///
/// Analytic signal of N samples: `X = FFT(x)`; `Z[0] = X[0]`, `Z[k] = 2·X[k]` for `0 < k < N/2`,
/// `Z[N/2] = X[N/2]` (N even), `Z[k] = 0` for the negative frequencies; `z = IFFT(Z)` (divided by N).
/// Envelope `e[n] = |z[n]|`. With a band `[low, high]` Hz, bins outside it are also zeroed in `Z`, an ideal
/// (brick-wall, zero-phase) FFT band-pass applied before the envelope, so the envelope is that of the band.
public enum Envelope {
    /// The envelope `|analytic(x)|` of `samples` (N values), optionally of the band `band` (Hz) only.
    public static func envelope(of samples: [Float], sampleRate: Double, band: ClosedRange<Double>? = nil) -> [Float] {
        let count = samples.count
        precondition(count >= 2, "an envelope needs at least 2 samples")
        let forward = RealFourierTransform(size: count)
        let backward = ComplexFourierTransform(size: count, forward: false)
        let input = forward.input
        for index in 0..<count { input[index] = samples[index] }
        forward.execute()
        let spectrum = forward.output
        let analytic = backward.input
        for index in 0..<(2 * count) { analytic[index] = 0 }
        let resolution = sampleRate / Double(count)
        let positiveEnd = (count + 1) / 2  // bins 1 ..< positiveEnd are doubled
        for bin in 0...(count / 2) {
            if let band {
                let frequency = Double(bin) * resolution
                if frequency < band.lowerBound || frequency > band.upperBound { continue }
            }
            let gain: Float = (bin == 0 || bin >= positiveEnd) ? 1 : 2
            analytic[2 * bin] = gain * spectrum[2 * bin]
            analytic[2 * bin + 1] = gain * spectrum[2 * bin + 1]
        }
        backward.execute()
        let result = backward.output
        let scale = 1 / Float(count)
        var envelope = [Float](repeating: 0, count: count)
        for index in 0..<count {
            let real = result[2 * index]
            let imaginary = result[2 * index + 1]
            envelope[index] = (real * real + imaginary * imaginary).squareRoot() * scale
        }
        return envelope
    }

    /// The envelope spectrum: `Spectrum.magnitude(of: e − mean(e), window:)` where `e` is `envelope(of:band:)`.
    ///
    /// Shape: N samples → `N/2 + 1` bins spaced `sampleRate / N` Hz; amplitudes in the signal's units.
    public static func spectrum(of samples: [Float], sampleRate: Double, band: ClosedRange<Double>? = nil,
                                window: Window = .hann) -> Spectrum {
        var envelope = envelope(of: samples, sampleRate: sampleRate, band: band)
        let mean = envelope.reduce(0, +) / Float(envelope.count)
        for index in envelope.indices { envelope[index] -= mean }
        return Spectrum.magnitude(of: envelope, sampleRate: sampleRate, window: window)
    }
}
