import Foundation
import Signals
import Testing

@Suite("Resampling")
struct ResamplerTests {
    @Test("12 kHz → 16 kHz of CWRU X118_DE matches scipy.signal.resample_poly(up=4, down=3)")
    func matchesScipy() throws {
        let reference = try Fixtures.float32("X118_DE_2s_resampled_16k.f32")
        let input = Array(try Fixtures.cwru("X118").channels[0].prefix(6000))
        let resampler = Resampler(from: 12_000, to: 16_000)
        #expect(resampler.up == 4 && resampler.down == 3)
        #expect(resampler.taps.count == 81)
        let output = resampler.resample(input)
        #expect(output.count == reference.count)
        let scale = reference.map(abs).max() ?? 0
        let worst = zip(output, reference).map { abs($0 - $1) }.max() ?? .infinity
        #expect(worst / scale < 1e-5)
    }

    @Test("a 1 kHz tone keeps its amplitude and frequency; a 7 kHz tone is removed going 16 kHz → 12 kHz")
    func passbandAndStopband() {
        let source = 16_000
        func tone(_ frequency: Double) -> [Float] {
            (0..<24_000).map { Float(sin(2 * Double.pi * frequency * Double($0) / Double(source))) }
        }
        let resampler = Resampler(from: source, to: 12_000)
        let low = resampler.resample(tone(1000))
        #expect(low.count == 18_000)
        let middle = Array(low[3000..<15_000])  // 12,000 samples: 1 Hz bins, so 1 kHz sits on a bin
        let peak = Spectrum.magnitude(of: middle, sampleRate: 12_000)
        let strongest = peak.peaks(thresholdFactor: 10).first
        #expect(strongest.map { abs($0.frequency - 1000) < 1 } == true)
        #expect(strongest.map { abs($0.amplitude - 1) < 0.01 } == true)
        // 7 kHz is above the new Nyquist (6 kHz): it must not alias to 5 kHz at more than −40 dB.
        let high = resampler.resample(tone(7000))
        let residual = high[3000..<15_000].map { abs($0) }.max() ?? 1
        #expect(residual < 0.01)
    }

    @Test("equal rates return the samples unchanged; AudioSignal.resampled keeps channel count")
    func identityAndChannels() {
        let samples: [Float] = (0..<100).map { Float($0) }
        #expect(Resampler(from: 8000, to: 8000).resample(samples) == samples)
        let stereo = AudioSignal(channels: [samples, samples.map { -$0 }], sampleRate: 8000).resampled(to: 16_000)
        #expect(stereo.channels.count == 2)
        #expect(stereo.frameCount == 200)
        #expect(stereo.sampleRate == 16_000)
    }
}
