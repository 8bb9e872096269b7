import Foundation
import Signals
import Testing

@Suite("Mel spectrogram against librosa")
struct MelSpectrogramTests {
    /// 2 s of X118_DE, as Benchmarks/signals/librosa_reference.py read it.
    func input() throws -> [Float] { Array(try Fixtures.cwru("X118").channels[0].prefix(24_000)) }

    @Test("mel power matches librosa.feature.melspectrogram within 1e-3 of its maximum")
    func melPowerMatchesLibrosa() throws {
        let reference = try Fixtures.float32("X118_DE_2s_mel_power.f32")
        let mel = MelSpectrogram(sampleRate: 12_000).power(try input())
        #expect(mel.binCount == 128)
        #expect(mel.frameCount == 47)
        #expect(mel.values.count == reference.count)
        let scale = reference.map(abs).max() ?? 0
        #expect(scale > 0)
        let worst = zip(mel.values, reference).map { abs($0 - $1) }.max() ?? .infinity
        // Relative error: max_i |a_i − b_i| / max_i |b_i|.
        #expect(worst / scale < 1e-3)
        // Element-wise on the bands librosa found above its own 80 dB floor: |a − b| / b.
        let floor = scale * 1e-8
        let elementWorst = zip(mel.values, reference).filter { $0.1 > floor }.map { abs($0 - $1) / $1 }.max() ?? .infinity
        #expect(elementWorst < 1e-3)
        print("mel power: max|a-b|/max|b| =", worst / scale, "; max per-element |a-b|/b above max·1e-8 =", elementWorst)
    }

    @Test("log-mel in dB matches librosa.power_to_db(top_db=80): every element within 0.01 dB")
    func logMelMatchesLibrosa() throws {
        let reference = try Fixtures.float32("X118_DE_2s_mel_db.f32")
        let decibels = MelSpectrogram(sampleRate: 12_000).logMel(try input())
        #expect(decibels.values.count == reference.count)
        let worst = zip(decibels.values, reference).map { abs($0 - $1) }.max() ?? .infinity
        // Per element: |a − b| < 0.01 dB, i.e. a power ratio within 10^(0.001) − 1 ≈ 0.23 %
        // (1e-3 of the 80 dB top_db range would allow 0.08 dB; measured ≈ 4e-4 dB).
        #expect(worst < 0.01)
        // Nothing lies below the top_db floor, max − 80 dB.
        #expect((decibels.values.min() ?? 0) >= (decibels.values.max() ?? 0) - 80.0001)
    }

    @Test("Slaney mel scale: 1 kHz ↔ 15 mel, linear below and logarithmic above, and inverse")
    func slaneyScale() {
        #expect(abs(MelFilterbank.hzToMel(1000) - 15) < 1e-12)
        #expect(abs(MelFilterbank.hzToMel(500) - 7.5) < 1e-12)
        #expect(abs(MelFilterbank.hzToMel(6400) - 42) < 1e-9)  // 15 + ln(6.4)/(ln(6.4)/27)
        for frequency in [0.0, 123.0, 999.0, 1000.0, 4567.0, 11_025.0] {
            #expect(abs(MelFilterbank.melToHz(MelFilterbank.hzToMel(frequency)) - frequency) < 1e-6)
        }
    }

    @Test("STFT of a bin-centred sine peaks in its bin with the Hann-window power (N·A/4)²")
    func stftOfSine() {
        let sampleRate = 8000, fftLength = 512, bin = 40
        let frequency = Double(bin) * Double(sampleRate) / Double(fftLength)
        let samples = (0..<4096).map { Float(0.5 * sin(2 * Double.pi * frequency * Double($0) / Double(sampleRate))) }
        let spectrogram = ShortTimeFourierTransform(fftLength: fftLength, hopLength: 128).spectrogram(samples)
        #expect(spectrogram.frameCount == 1 + 4096 / 128)
        let frame = 10  // fully inside the signal
        let column = (0..<spectrogram.binCount).map { spectrogram[$0, frame] }
        #expect(column.firstIndex(of: column.max()!) == bin)
        let expected = Float(fftLength) * 0.5 / 4  // |X[k]| = N·A/2 · (window mean 1/2)
        #expect(abs(column[bin].squareRoot() - expected) / expected < 1e-4)
    }
}
