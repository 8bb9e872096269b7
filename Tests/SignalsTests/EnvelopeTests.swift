import Foundation
import Signals
import Testing

@Suite("Spectrum, envelope and peaks")
struct EnvelopeTests {
    @Test("magnitude spectrum reads a sine's amplitude in physical units at its frequency")
    func magnitudeSpectrum() {
        let sampleRate = 12_000.0, count = 8192
        let frequency = 437.3  // off-bin on purpose
        let samples = (0..<count).map { Float(0.8 * sin(2 * Double.pi * frequency * Double($0) / sampleRate) + 0.1) }
        let spectrum = Spectrum.magnitude(of: samples, sampleRate: sampleRate)
        #expect(spectrum.amplitudes.count == count / 2 + 1)
        #expect(abs(spectrum.resolution - sampleRate / Double(count)) < 1e-12)
        #expect(abs(spectrum.amplitudes[0] - 0.1) < 1e-3)  // DC read with the single-sided scale
        let peak = spectrum.peaks().first
        #expect(peak != nil)
        if let peak {
            // Log-parabolic interpolation on a Hann window: within 0.02 bin and 4 % (the uncorrected bin alone
            // would be up to 15 % low: Hann scalloping loss 1.42 dB).
            #expect(abs(peak.frequency - frequency) < 0.02 * spectrum.resolution)
            #expect(abs(peak.amplitude - 0.8) / 0.8 < 0.04)
            #expect(abs(peak.amplitude - 0.8) < abs(spectrum.amplitudes[peak.bin] - 0.8))
        }
    }

    @Test("envelope of an amplitude-modulated tone recovers the modulation and its spectrum peaks at it")
    func envelopeOfModulatedTone() {
        let sampleRate = 12_000.0, count = 8192
        let carrier = 3000.0, modulation = 97.0
        let samples = (0..<count).map { index -> Float in
            let time = Double(index) / sampleRate
            return Float((1 + 0.5 * cos(2 * Double.pi * modulation * time)) * sin(2 * Double.pi * carrier * time))
        }
        let envelope = Envelope.envelope(of: samples, sampleRate: sampleRate)
        // Away from the ends, |analytic| equals 1 + 0.5·cos(2π·97·t).
        let worst = (1000..<7000).map { index -> Float in
            let time = Double(index) / sampleRate
            return abs(envelope[index] - Float(1 + 0.5 * cos(2 * Double.pi * modulation * time)))
        }.max() ?? 1
        #expect(worst < 0.02)
        let spectrum = Envelope.spectrum(of: samples, sampleRate: sampleRate, band: 2000...4000)
        let peak = spectrum.peak(near: modulation, tolerance: 3)
        #expect(peak.map { abs($0.frequency - modulation) < 0.5 } == true)
        #expect(peak.map { abs($0.amplitude - 0.5) < 0.03 } == true)
        #expect(spectrum.peaks(in: 10...1000).first?.bin == peak?.bin)
        // A band that excludes the carrier leaves (almost) no envelope.
        let outside = Envelope.spectrum(of: samples, sampleRate: sampleRate, band: 4500...5500)
        #expect((outside.amplitudes.max() ?? 1) < 0.01)
    }

    /// Bearing geometry from bearing_facts.csv and shaft speed from manifest.csv.
    func bpfi(record: String) throws -> Double {
        let multiplier = try #require(Double(try Fixtures.bearingFacts(position: "drive_end")["bpfi_x_shaft"] ?? ""))
        let rpm = try #require(Double(try Fixtures.manifest(record: record)["rpm"] ?? ""))
        return rpm / 60 * multiplier
    }

    func envelopeSpectrum(record: String) throws -> Spectrum {
        let samples = Array(try Fixtures.cwru(record).channels[0].prefix(8192))
        return Envelope.spectrum(of: samples, sampleRate: 12_000)
    }

    @Test("inner-race fault X105_DE (load 0): envelope spectrum peaks within 3 % of BPFI; normal X097 does not")
    func innerRaceFaultShowsBPFI() throws {
        #expect(try Fixtures.manifest(record: "X105")["label"] == "inner_race")
        #expect(try Fixtures.manifest(record: "X105")["motor_load_hp"] == "0")
        #expect(try Fixtures.manifest(record: "X097")["label"] == "normal")
        let faultFrequency = try bpfi(record: "X105")  // 1797/60 × 5.4152 ≈ 162.2 Hz
        let fault = try envelopeSpectrum(record: "X105")
        let faultPeak = try #require(fault.peak(near: faultFrequency, tolerance: 0.03 * faultFrequency))
        #expect(abs(faultPeak.frequency - faultFrequency) / faultFrequency < 0.03)
        // Dominant: the strongest peak in 5–500 Hz, and far above the spectrum's median.
        let strongest = try #require(fault.peaks(in: 5...500).first)
        #expect(strongest.bin == faultPeak.bin)
        #expect(faultPeak.ratioToMedian > 10)

        let normalFrequency = try bpfi(record: "X097")
        let normal = try envelopeSpectrum(record: "X097")
        let normalPeak = normal.peak(near: normalFrequency, tolerance: 0.03 * normalFrequency)
        let normalRatio = normalPeak?.ratioToMedian ?? 0
        let normalStrongest = try #require(normal.peaks(thresholdFactor: 0, in: 5...500).first)
        // The healthy bearing's strongest envelope line is elsewhere (shaft harmonics), the BPFI window holds
        // less than half of it, and its height over the floor is under a fifth of the faulty bearing's.
        #expect(normalStrongest.bin != normalPeak?.bin)
        #expect((normalPeak?.amplitude ?? 0) < 0.5 * normalStrongest.amplitude)
        #expect(normalRatio < faultPeak.ratioToMedian / 5)
    }

    @Test("outer-race fault X130_DE (load 0): envelope spectrum's strongest 5–500 Hz peak is within 3 % of BPFO")
    func outerRaceFaultShowsBPFO() throws {
        #expect(try Fixtures.manifest(record: "X130")["label"] == "outer_race_at6")
        let multiplier = try #require(Double(try Fixtures.bearingFacts(position: "drive_end")["bpfo_x_shaft"] ?? ""))
        let rpm = try #require(Double(try Fixtures.manifest(record: "X130")["rpm"] ?? ""))
        let frequency = rpm / 60 * multiplier  // ≈ 107.3 Hz
        let strongest = try #require(try envelopeSpectrum(record: "X130").peaks(in: 5...500).first)
        #expect(abs(strongest.frequency - frequency) / frequency < 0.03)
    }
}

@Suite("Median and thresholds")
struct MedianTests {
    @Test("medianAmplitude equals the sorted middle (DC excluded) for odd, even and tied inputs")
    func medianMatchesSorting() {
        var generator = SystemRandomNumberGenerator()
        for count in [3, 4, 5, 10, 101, 1000, 4097] {
            var amplitudes = (0..<count).map { _ in Float(Int.random(in: 0..<50, using: &generator)) / 7 }
            amplitudes[0] = 1e6  // DC, ignored
            let spectrum = Spectrum(amplitudes: amplitudes, resolution: 1, sampleRate: Double(2 * (count - 1)))
            let sorted = amplitudes.dropFirst().sorted()
            let middle = sorted.count / 2
            let expected = sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
            #expect(spectrum.medianAmplitude == expected)
        }
    }

    @Test("peaks keeps only local maxima above thresholdFactor × median, strongest first")
    func thresholdFiltering() {
        let amplitudes: [Float] = [9, 1, 1, 5, 1, 1, 3, 1, 1, 1, 8, 1, 1]
        let spectrum = Spectrum(amplitudes: amplitudes, resolution: 2, sampleRate: 48)
        #expect(spectrum.medianAmplitude == 1)
        #expect(spectrum.peaks(thresholdFactor: 4).map(\.bin) == [10, 3])
        #expect(spectrum.peaks(thresholdFactor: 2).map(\.bin) == [10, 3, 6])
        #expect(spectrum.peaks(thresholdFactor: 2, in: 5...15).map(\.bin) == [3, 6])
        let near = spectrum.peak(near: 12, tolerance: 1)
        #expect(near?.bin == 6)
        #expect(near?.frequency == 12)  // symmetric neighbours: no offset
        #expect(near?.ratioToMedian == 3)
        #expect(spectrum.peak(near: 17, tolerance: 1) == nil)
    }
}
