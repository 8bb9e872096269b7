import Foundation

/// A real matrix over (frequency bin or band) × (time frame), stored row-major: `values[bin · frameCount + frame]`.
///
/// This is librosa's `(n_freq, n_frames)` layout: row `b` is one frequency bin (or mel band) over time.
public struct Spectrogram: Sendable, Equatable {
    /// Row-major values, `binCount × frameCount`.
    public var values: [Float]
    /// Rows: frequency bins (`n_fft/2 + 1`) or mel bands.
    public var binCount: Int
    /// Columns: time frames.
    public var frameCount: Int

    /// Creates a spectrogram; `values.count` must be `binCount · frameCount`.
    public init(values: [Float], binCount: Int, frameCount: Int) {
        precondition(values.count == binCount * frameCount, "values must hold binCount × frameCount elements")
        self.values = values
        self.binCount = binCount
        self.frameCount = frameCount
    }

    /// The value at (bin, frame).
    public subscript(bin: Int, frame: Int) -> Float {
        get { values[bin * frameCount + frame] }
        set { values[bin * frameCount + frame] = newValue }
    }

    /// Power in decibels, as `librosa.power_to_db`:
    /// `D = 10·log10(max(amin, S)) − 10·log10(max(amin, reference))`, then, if `topDecibels` is set,
    /// `D = max(D, max(D) − topDecibels)`. Computed in Float, element by element.
    public func powerToDecibels(reference: Float = 1, amin: Float = 1e-10, topDecibels: Float? = 80) -> Spectrogram {
        precondition(amin > 0, "amin must be positive")
        let offset = 10 * log10f(max(amin, abs(reference)))
        var result = values.map { 10 * log10f(max(amin, $0)) - offset }
        if let topDecibels {
            precondition(topDecibels >= 0, "topDecibels must be non-negative")
            let floor = (result.max() ?? 0) - topDecibels
            for index in result.indices where result[index] < floor { result[index] = floor }
        }
        return Spectrogram(values: result, binCount: binCount, frameCount: frameCount)
    }
}
