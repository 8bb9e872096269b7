import Foundation
import RDF
import Signals

/// The envelope spectra of one case's accelerometers: what the rules' `iqa:envelopePeak` built-in and the
/// entity linker read.
///
/// Per sensor: the envelope of the 1–5.5 kHz band (where the structural resonances that bearing impacts excite
/// lie on this rig), its spectrum (Hann window, `Envelope.spectrum`), and that spectrum's median level. A peak's
/// strength is its interpolated amplitude divided by the median: a ratio, independent of the sensor's gain.
public struct BearingEvidence: EnvelopeEvidence {
    /// The demodulation band (Hz).
    public static let band: ClosedRange<Double> = 1000...5500

    /// Per sensor: the envelope spectrum and its median amplitude.
    public let spectra: [IRI: (spectrum: Spectrum, median: Float)]

    /// Computes the envelope spectrum of each sensor's samples.
    public init(signals: [IRI: [Float]], sampleRate: Double) {
        var spectra: [IRI: (Spectrum, Float)] = [:]
        for (sensor, samples) in signals where samples.count >= 2 {
            let spectrum = Envelope.spectrum(of: samples, sampleRate: sampleRate, band: Self.band)
            spectra[sensor] = (spectrum, spectrum.medianAmplitude)
        }
        self.spectra = spectra
    }

    /// The strongest local maximum of `sensor`'s envelope spectrum within ±`tolerance`·hz of `hz`.
    public func peak(sensor: IRI, near hz: Double, tolerance: Double) -> SpectralPeak? {
        guard let entry = spectra[sensor], hz > 0 else { return nil }
        return entry.spectrum.peak(near: hz, tolerance: tolerance * hz)
    }

    /// The strongest peak near `hz` as a multiple of the spectrum's median level (see `EnvelopeEvidence`).
    public func strongestPeak(sensor: IRI, near hz: Double, tolerance: Double) -> Double? {
        guard let entry = spectra[sensor], entry.median > 0, let found = peak(sensor: sensor, near: hz, tolerance: tolerance) else {
            return nil
        }
        return Double(found.amplitude / entry.median)
    }
}
