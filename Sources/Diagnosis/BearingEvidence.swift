import Foundation
import RDF
import Signals

/// The envelope spectra of one case's accelerometers: what the rules' `iqa:envelopePeak` built-in and the
/// entity linker read.
///
/// Per sensor: the envelope of the 1–5.5 kHz band (where the structural resonances that bearing impacts excite
/// lie on this rig) and its spectrum (Hann window, `Envelope.spectrum`). A peak's strength is its prominence: its
/// interpolated amplitude divided by the median amplitude of the spectrum from hz/2 to 3·hz/2, leaving out the
/// ±tolerance window searched: a ratio to the local floor, independent of the sensor's gain. (The median of the
/// whole spectrum is no floor: the envelope's energy sits at low frequencies, so every bin near 100 Hz stands 10 to
/// 100 times above it. On CWRU at load 0 the local prominence at a frequency without its fault is below 5 in 90 % of
/// windows, and 18 to 65 at an inner-race fault's BPFI.)
public struct BearingEvidence: EnvelopeEvidence {
    /// The demodulation band (Hz).
    public static let band: ClosedRange<Double> = 1000...5500

    /// Per sensor: the envelope spectrum.
    public let spectra: [IRI: Spectrum]
    /// Per sensor: the spectrum's median amplitude (computed once; peaks report their ratio to it).
    private let medians: [IRI: Float]

    /// Computes the envelope spectrum of each sensor's samples.
    public init(signals: [IRI: [Float]], sampleRate: Double) {
        var spectra: [IRI: Spectrum] = [:]
        for (sensor, samples) in signals where samples.count >= 2 {
            spectra[sensor] = Envelope.spectrum(of: samples, sampleRate: sampleRate, band: Self.band)
        }
        self.spectra = spectra
        medians = spectra.mapValues(\.medianAmplitude)
    }

    /// The strongest local maximum of `sensor`'s envelope spectrum within ±`tolerance`·hz of `hz`.
    public func peak(sensor: IRI, near hz: Double, tolerance: Double) -> SpectralPeak? {
        guard let spectrum = spectra[sensor], let median = medians[sensor], hz > 0 else { return nil }
        return spectrum.peak(near: hz, tolerance: tolerance * hz, median: median)
    }

    /// The local floor around `hz`: the median amplitude over the bins from hz/2 to 3hz/2 outside ±`tolerance`·hz.
    public func localFloor(sensor: IRI, near hz: Double, tolerance: Double) -> Float? {
        guard let spectrum = spectra[sensor], hz > 0, spectrum.resolution > 0 else { return nil }
        let first = max(1, Int((hz * 0.5 / spectrum.resolution).rounded(.up)))
        let last = min(spectrum.amplitudes.count - 1, Int((hz * 1.5 / spectrum.resolution).rounded(.down)))
        guard first <= last else { return nil }
        var values: [Float] = []
        for bin in first...last where abs(Double(bin) * spectrum.resolution - hz) > tolerance * hz {
            values.append(spectrum.amplitudes[bin])
        }
        guard !values.isEmpty else { return nil }
        values.sort()
        let middle = values.count / 2
        return values.count % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2
    }

    /// The prominence of the strongest peak near `hz`: its amplitude over the local floor (see `EnvelopeEvidence`).
    public func strongestPeak(sensor: IRI, near hz: Double, tolerance: Double) -> Double? {
        guard let found = peak(sensor: sensor, near: hz, tolerance: tolerance),
              let floor = localFloor(sensor: sensor, near: hz, tolerance: tolerance), floor > 0 else { return nil }
        return Double(found.amplitude / floor)
    }
}
