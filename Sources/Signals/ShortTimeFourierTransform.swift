import Foundation

/// The short-time Fourier transform's power, framed like `librosa.stft`.
///
/// With `center`, the signal is padded by `⌊n_fft/2⌋` samples on each side (zeros for `.constant`, mirror
/// images without the edge sample for `.reflect`) so that frame t is centred on sample `t · hop`. Frame t covers
/// padded samples `[t·hop, t·hop + n_fft)`; there are `1 + ⌊(L_padded − n_fft)/hop⌋` frames. Each frame is
/// multiplied by the window (`n_fft` long) and transformed with FFTW's r2c:
/// `P[k, t] = |Σ_n w[n]·x_pad[t·hop + n]·exp(−2πi·kn/n_fft)|^power` for `k = 0 ... n_fft/2`.
/// Output: a `Spectrogram` of shape `(n_fft/2 + 1) × frames`.
public struct ShortTimeFourierTransform: Sendable {
    /// How the signal is extended at its ends when `center` is set.
    public enum PadMode: Sendable, Equatable {
        /// Zeros (librosa ≥ 0.10 default, `pad_mode='constant'`).
        case constant
        /// Mirror without repeating the edge sample (`numpy.pad(mode='reflect')`), repeated for short signals.
        case reflect
    }

    /// Frame and FFT length, `n_fft`.
    public var fftLength: Int
    /// Samples between the starts of successive frames.
    public var hopLength: Int
    /// The window applied to each frame.
    public var window: Window
    /// Whether frames are centred on `t · hop` (padding the ends).
    public var center: Bool
    /// How the ends are padded when `center` is set.
    public var padMode: PadMode
    /// The exponent applied to the magnitude: 2 gives power, 1 magnitude.
    public var power: Float

    private let windowCoefficients: [Float]

    /// librosa's defaults: `n_fft = 2048`, `hop_length = 512`, periodic Hann, centred, zero padding, power 2.
    public init(fftLength: Int = 2048, hopLength: Int = 512, window: Window = .hann, center: Bool = true,
                padMode: PadMode = .constant, power: Float = 2) {
        precondition(fftLength > 0 && hopLength > 0, "FFT and hop lengths must be positive")
        self.fftLength = fftLength
        self.hopLength = hopLength
        self.window = window
        self.center = center
        self.padMode = padMode
        self.power = power
        windowCoefficients = WindowCache.shared.coefficients(window, length: fftLength)
    }

    /// Number of bins per frame, `n_fft/2 + 1`.
    public var binCount: Int { fftLength / 2 + 1 }

    /// Number of frames for a signal of `sampleCount` samples (0 if it is shorter than one frame uncentred).
    public func frameCount(sampleCount: Int) -> Int {
        let padded = sampleCount + (center ? 2 * (fftLength / 2) : 0)
        guard padded >= fftLength, sampleCount > 0 else { return 0 }
        return 1 + (padded - fftLength) / hopLength
    }

    /// The power (or magnitude^power) spectrogram of `samples`, shape `(n_fft/2 + 1) × frames`.
    public func spectrogram(_ samples: [Float]) -> Spectrogram {
        let frames = frameCount(sampleCount: samples.count)
        let bins = binCount
        var values = [Float](repeating: 0, count: bins * frames)
        guard frames > 0 else { return Spectrogram(values: values, binCount: bins, frameCount: 0) }
        let transform = RealFourierTransform(size: fftLength)
        let padding = center ? fftLength / 2 : 0
        let count = samples.count
        let input = transform.input
        let output = transform.output
        samples.withUnsafeBufferPointer { signal in
            windowCoefficients.withUnsafeBufferPointer { window in
                values.withUnsafeMutableBufferPointer { result in
                    for frame in 0..<frames {
                        let start = frame * hopLength - padding
                        if start >= 0 && start + fftLength <= count {
                            for index in 0..<fftLength { input[index] = window[index] * signal[start + index] }
                        } else {
                            for index in 0..<fftLength {
                                input[index] = window[index] * sample(signal, at: start + index)
                            }
                        }
                        transform.execute()
                        for bin in 0..<bins {
                            let real = output[2 * bin]
                            let imaginary = output[2 * bin + 1]
                            let squared = real * real + imaginary * imaginary
                            result[bin * frames + frame] = power == 2 ? squared
                                : (power == 1 ? squared.squareRoot() : powf(squared.squareRoot(), power))
                        }
                    }
                }
            }
        }
        return Spectrogram(values: values, binCount: bins, frameCount: frames)
    }

    /// The sample at `index` of the padded signal (index may be negative or past the end).
    private func sample(_ signal: UnsafeBufferPointer<Float>, at index: Int) -> Float {
        let count = signal.count
        if index >= 0 && index < count { return signal[index] }
        switch padMode {
        case .constant:
            return 0
        case .reflect:
            guard count > 1 else { return signal[0] }
            let period = 2 * (count - 1)
            var folded = index % period
            if folded < 0 { folded += period }
            return signal[folded < count ? folded : period - folded]
        }
    }
}
