import Foundation

/// The (log-)mel spectrogram front end: STFT power, then a mel filterbank, then optionally decibels.
///
/// With the defaults it computes, for a signal `y` at `sampleRate`,
/// `librosa.feature.melspectrogram(y=y, sr=sampleRate, n_fft=2048, hop_length=512, n_mels=128, center=True,
/// pad_mode='constant', window='hann', power=2.0)` (Slaney mel scale and normalisation), and
/// `logMel` adds `librosa.power_to_db(S, ref=1.0, amin=1e-10, top_db=80.0)`.
/// Shapes: input `L` samples → `melCount × (1 + ⌊L / hop⌋)` (centred).
/// Checked against librosa 0.11 on 2 s of CWRU X118_DE: max |a − b| / max |b| < 1e-5 on power.
public struct MelSpectrogram: Sendable {
    /// The framing and FFT.
    public let transform: ShortTimeFourierTransform
    /// The mel filters.
    public let filterbank: MelFilterbank

    /// librosa's defaults at `sampleRate`.
    public init(sampleRate: Int, fftLength: Int = 2048, hopLength: Int = 512, melCount: Int = 128,
                minimumFrequency: Double = 0, maximumFrequency: Double? = nil) {
        transform = ShortTimeFourierTransform(fftLength: fftLength, hopLength: hopLength)
        filterbank = MelFilterbank(sampleRate: sampleRate, fftLength: fftLength, melCount: melCount,
                                   minimumFrequency: minimumFrequency, maximumFrequency: maximumFrequency)
    }

    /// Builds from an explicit transform and filterbank (their FFT lengths must agree).
    public init(transform: ShortTimeFourierTransform, filterbank: MelFilterbank) {
        precondition(transform.fftLength == filterbank.fftLength, "STFT and filterbank FFT lengths differ")
        self.transform = transform
        self.filterbank = filterbank
    }

    /// Mel power `melCount × frames`.
    public func power(_ samples: [Float]) -> Spectrogram {
        filterbank.apply(transform.spectrogram(samples))
    }

    /// Log-mel in dB, `power_to_db(power(samples), ref, amin, top_db)`, `melCount × frames`.
    public func logMel(_ samples: [Float], reference: Float = 1, amin: Float = 1e-10, topDecibels: Float? = 80)
        -> Spectrogram
    {
        power(samples).powerToDecibels(reference: reference, amin: amin, topDecibels: topDecibels)
    }
}
