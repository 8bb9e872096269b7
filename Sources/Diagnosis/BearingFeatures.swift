import Foundation
import Fusion
import Signals

/// The fusion model's inputs for one window of bearing vibration, per modality.
///
/// A window is `windowLength` samples at `sampleRate` (1 s at 12 kHz). Modalities, in model order:
/// - `drive_end`, `fan_end` (signal): 16 STFT frames (n_fft 1024, hop (L − 1024)/15, Hann, |X|²) as tokens,
///   each the log10 power of 32 bands of 16 bins (0–6 kHz) plus the frame's log10 total power: [16, 33];
/// - `spectrogram` (image): the base accelerometer's power spectrogram (n_fft 256, hop (L − 256)/31) in dB
///   (top 80 dB), min–max scaled to an image, resized to 32×32 and cut into 16 patches of 8×8: [16, 64].
public enum BearingFeatures {
    /// Samples per window.
    public static let windowLength = 12_000
    /// The sample rate the features are defined at (Hz); other rates are resampled.
    public static let sampleRate = 12_000
    /// STFT frames (tokens) per signal modality.
    public static let frameTokens = 16
    /// Log-power bands per frame.
    public static let bandCount = 32
    /// Spectrogram image side and patch side.
    public static let imageSize = 32, patchSize = 8

    /// The modalities in model order with the channel each reads.
    public static let modalities: [(specification: ModalitySpecification, channel: String)] = [
        (ModalitySpecification(name: "drive_end", tokenCount: frameTokens, featureSize: bandCount + 1), "DE"),
        (ModalitySpecification(name: "fan_end", tokenCount: frameTokens, featureSize: bandCount + 1), "FE"),
        (ModalitySpecification(name: "spectrogram", tokenCount: (imageSize / patchSize) * (imageSize / patchSize),
                               featureSize: patchSize * patchSize), "BA"),
    ]

    /// [16, 33] row-major: per STFT frame, log10 power in 32 bands of 16 bins and log10 total power.
    public static func frameTokens(_ samples: [Float]) -> [Float] {
        let stft = ShortTimeFourierTransform(fftLength: 1024, hopLength: (samples.count - 1024) / (frameTokens - 1), center: false)
        let spectrogram = stft.spectrogram(samples)
        var tokens: [Float] = []
        tokens.reserveCapacity(frameTokens * (bandCount + 1))
        for frame in 0..<frameTokens {
            var total: Float = 0
            for band in 0..<bandCount {
                var power: Float = 1e-12
                for bin in (band * 16 + 1)...(band * 16 + 16) { power += spectrogram[bin, frame] }
                total += power
                tokens.append(log10f(power))
            }
            tokens.append(log10f(total))
        }
        return tokens
    }

    /// [16, 64] row-major: the dB spectrogram of `samples` as a 32×32 image in 8×8 patches.
    public static func spectrogramPatches(_ samples: [Float]) -> [Float] {
        let stft = ShortTimeFourierTransform(fftLength: 256, hopLength: (samples.count - 256) / 31, center: false)
        let decibels = stft.spectrogram(samples).powerToDecibels(topDecibels: 80)
        let image = FloatImage(spectrogram: decibels).resized(height: imageSize, width: imageSize)
        return image.patches(size: patchSize).values
    }

    /// The features of each modality whose channel is in `window` (nil for a missing channel).
    public static func modalityFeatures(_ window: [String: [Float]]) -> [[Float]?] {
        modalities.map { modality in
            guard let samples = window[modality.channel] else { return nil }
            return modality.specification.name == "spectrogram" ? spectrogramPatches(samples) : frameTokens(samples)
        }
    }
}
