import Foundation

extension FloatImage {
    /// A spectrogram (bins × frames, e.g. log-mel in dB) as a one-channel image of height `binCount` and width
    /// `frameCount`, min–max scaled: `v' = (v − min) / (max − min)` (all zeros if max = min; non-finite values
    /// are treated as the minimum). With `lowFrequencyAtBottom` (default, the usual display orientation)
    /// image row `y` holds bin `binCount − 1 − y`; otherwise row y holds bin y.
    public init(spectrogram: Spectrogram, lowFrequencyAtBottom: Bool = true) {
        let finite = spectrogram.values.filter(\.isFinite)
        let minimum = finite.min() ?? 0
        let maximum = finite.max() ?? 0
        let range = maximum - minimum
        let bins = spectrogram.binCount, frames = spectrogram.frameCount
        var pixels = [Float](repeating: 0, count: bins * frames)
        if range > 0 {
            for bin in 0..<bins {
                let row = lowFrequencyAtBottom ? bins - 1 - bin : bin
                for frame in 0..<frames {
                    let value = spectrogram.values[bin * frames + frame]
                    pixels[row * frames + frame] = value.isFinite ? (value - minimum) / range : 0
                }
            }
        }
        self.init(channels: 1, height: bins, width: frames, pixels: pixels)
    }
}
