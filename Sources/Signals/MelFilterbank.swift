import Foundation

/// Triangular mel filters over the bins of a real FFT, built as `librosa.filters.mel`.
///
/// Band edges: `melCount + 2` points equally spaced in mel between `hzToMel(fmin)` and `hzToMel(fmax)`,
/// converted back to Hz (`f_0 ... f_{M+1}`). Filter m over FFT bin frequency `φ_k = k · sr / n_fft`:
/// `w[m, k] = max(0, min((φ_k − f_m)/(f_{m+1} − f_m), (f_{m+2} − φ_k)/(f_{m+2} − f_{m+1})))`,
/// times `2 / (f_{m+2} − f_m)` with Slaney normalisation (equal area). Weights are computed in Double and
/// stored as Float (librosa's `dtype=float32`); each filter keeps only its non-zero bin range.
public struct MelFilterbank: Sendable {
    /// The mel scale formula.
    public enum Scale: Sendable, Equatable {
        /// Slaney's Auditory Toolbox scale (librosa `htk=False`): linear `f / (200/3)` below 1 kHz,
        /// `15 + ln(f / 1000) / (ln 6.4 / 27)` above.
        case slaney
        /// HTK: `2595 · log10(1 + f / 700)`.
        case htk
    }

    /// How each triangle is scaled.
    public enum Normalization: Sendable, Equatable {
        /// Peak 1 (librosa `norm=None`).
        case none
        /// Area-equalising `2 / (f_{m+2} − f_m)` (librosa `norm='slaney'`).
        case slaney
    }

    /// Sample rate the FFT bins refer to (Hz).
    public let sampleRate: Int
    /// FFT length n_fft; filters span its `n_fft/2 + 1` bins.
    public let fftLength: Int
    /// Number of mel bands.
    public let melCount: Int
    /// Lowest band edge (Hz).
    public let minimumFrequency: Double
    /// Highest band edge (Hz); `sampleRate / 2` by default.
    public let maximumFrequency: Double
    /// Band centres `f_1 ... f_M` (Hz).
    public let centerFrequencies: [Double]

    /// For each band: the first non-zero bin and its weights.
    private let filters: [(start: Int, weights: [Float])]

    /// Builds the filterbank; defaults are librosa's (`n_mels = 128`, `fmin = 0`, `fmax = sr/2`, Slaney, Slaney).
    public init(sampleRate: Int, fftLength: Int = 2048, melCount: Int = 128, minimumFrequency: Double = 0,
                maximumFrequency: Double? = nil, scale: Scale = .slaney, normalization: Normalization = .slaney) {
        precondition(sampleRate > 0 && fftLength > 0 && melCount > 0, "sample rate, FFT length and band count must be positive")
        let maximum = maximumFrequency ?? Double(sampleRate) / 2
        precondition(minimumFrequency >= 0 && maximum > minimumFrequency, "need 0 ≤ fmin < fmax")
        self.sampleRate = sampleRate
        self.fftLength = fftLength
        self.melCount = melCount
        self.minimumFrequency = minimumFrequency
        self.maximumFrequency = maximum

        let lowMel = Self.hzToMel(minimumFrequency, scale: scale)
        let highMel = Self.hzToMel(maximum, scale: scale)
        // numpy.linspace(lowMel, highMel, M + 2): start + i·step, with the last point exactly highMel.
        let pointCount = melCount + 2
        let step = (highMel - lowMel) / Double(pointCount - 1)
        let edges: [Double] = (0..<pointCount).map { index in
            let mel = index == pointCount - 1 ? highMel : lowMel + Double(index) * step
            return Self.melToHz(mel, scale: scale)
        }
        centerFrequencies = Array(edges[1...melCount])

        let binCount = fftLength / 2 + 1
        // numpy.fft.rfftfreq(n_fft, 1/sr) = k · sr / n_fft (librosa.fft_frequencies).
        let binFrequencies = (0..<binCount).map { Double($0) * Double(sampleRate) / Double(fftLength) }
        var built: [(start: Int, weights: [Float])] = []
        for band in 0..<melCount {
            let lowerWidth = edges[band + 1] - edges[band]
            let upperWidth = edges[band + 2] - edges[band + 1]
            let scaleFactor = normalization == .slaney ? 2 / (edges[band + 2] - edges[band]) : 1
            var start = -1
            var weights: [Float] = []
            for bin in 0..<binCount {
                let lower = (binFrequencies[bin] - edges[band]) / lowerWidth
                let upper = (edges[band + 2] - binFrequencies[bin]) / upperWidth
                let weight = max(0, min(lower, upper))
                if weight > 0 {
                    if start < 0 { start = bin }
                    // Bins between the first and last non-zero bin are contiguous for a triangle.
                    weights.append(Float(weight * scaleFactor))
                } else if start >= 0 {
                    break
                }
            }
            built.append((max(start, 0), weights))
        }
        filters = built
    }

    /// Hz → mel on `scale` (see `Scale`).
    public static func hzToMel(_ frequency: Double, scale: Scale = .slaney) -> Double {
        switch scale {
        case .htk:
            return 2595 * log10(1 + frequency / 700)
        case .slaney:
            let linearStep = 200.0 / 3
            let minimumLogHz = 1000.0
            let minimumLogMel = minimumLogHz / linearStep
            let logStep = log(6.4) / 27
            return frequency >= minimumLogHz
                ? minimumLogMel + log(frequency / minimumLogHz) / logStep
                : frequency / linearStep
        }
    }

    /// mel → Hz on `scale`, the inverse of `hzToMel`.
    public static func melToHz(_ mel: Double, scale: Scale = .slaney) -> Double {
        switch scale {
        case .htk:
            return 700 * (pow(10, mel / 2595) - 1)
        case .slaney:
            let linearStep = 200.0 / 3
            let minimumLogHz = 1000.0
            let minimumLogMel = minimumLogHz / linearStep
            let logStep = log(6.4) / 27
            return mel >= minimumLogMel ? minimumLogHz * exp(logStep * (mel - minimumLogMel)) : linearStep * mel
        }
    }

    /// The dense weight matrix, shape `melCount × (n_fft/2 + 1)`, row-major (librosa's `mel_basis`).
    public var weights: [Float] {
        let binCount = fftLength / 2 + 1
        var dense = [Float](repeating: 0, count: melCount * binCount)
        for (band, filter) in filters.enumerated() {
            for (offset, weight) in filter.weights.enumerated() { dense[band * binCount + filter.start + offset] = weight }
        }
        return dense
    }

    /// Mel spectrogram `M[m, t] = Σ_k w[m, k] · S[k, t]`: `S` is `(n_fft/2 + 1) × T`, the result `melCount × T`.
    public func apply(_ spectrogram: Spectrogram) -> Spectrogram {
        precondition(spectrogram.binCount == fftLength / 2 + 1,
                     "spectrogram has \(spectrogram.binCount) bins, filterbank expects \(fftLength / 2 + 1)")
        let frames = spectrogram.frameCount
        var result = [Float](repeating: 0, count: melCount * frames)
        spectrogram.values.withUnsafeBufferPointer { source in
            result.withUnsafeMutableBufferPointer { target in
                for (band, filter) in filters.enumerated() {
                    let row = band * frames
                    for (offset, weight) in filter.weights.enumerated() {
                        let sourceRow = (filter.start + offset) * frames
                        for frame in 0..<frames { target[row + frame] += weight * source[sourceRow + frame] }
                    }
                }
            }
        }
        return Spectrogram(values: result, binCount: melCount, frameCount: frames)
    }
}
