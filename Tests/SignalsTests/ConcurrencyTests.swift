import Foundation
import Signals
import Testing

@Suite("FFT plans under concurrency")
struct ConcurrencyTests {
    @Test("spectra of fresh sizes computed from 8 tasks at once equal the serial results")
    func concurrentPlanning() async throws {
        let samples = Array(try Fixtures.cwru("X118").channels[0].prefix(6000))
        // Sizes no other test uses, so the plans are created while the tasks race.
        let sizes = [1000, 1001, 1536, 2187, 3000, 4095, 5000, 5997]
        let results = await withTaskGroup(of: (Int, [Float]).self) { group in
            for size in sizes {
                group.addTask { (size, Spectrum.magnitude(of: Array(samples.prefix(size)), sampleRate: 12_000).amplitudes) }
            }
            var collected: [Int: [Float]] = [:]
            for await (size, amplitudes) in group { collected[size] = amplitudes }
            return collected
        }
        for size in sizes {
            let serial = Spectrum.magnitude(of: Array(samples.prefix(size)), sampleRate: 12_000).amplitudes
            #expect(results[size] == serial)
            #expect(serial.count == size / 2 + 1)
        }
    }

    @Test("an FFT of length N matches the direct DFT sum for odd and even N")
    func matchesDirectTransform() {
        for size in [7, 16, 45] {
            let input: [Float] = (0..<size).map { Float(sin(Double($0) * 1.3) + 0.25 * Double($0 % 3)) }
            let (real, imaginary) = RealFourierTransform(size: size).forward(input)
            #expect(real.count == size / 2 + 1)
            for bin in 0...(size / 2) {
                var sumReal = 0.0, sumImaginary = 0.0
                for index in 0..<size {
                    let angle = -2 * Double.pi * Double(bin * index) / Double(size)
                    sumReal += Double(input[index]) * cos(angle)
                    sumImaginary += Double(input[index]) * sin(angle)
                }
                #expect(abs(Double(real[bin]) - sumReal) < 1e-4)
                #expect(abs(Double(imaginary[bin]) - sumImaginary) < 1e-4)
            }
            // Backward complex transform of the forward one gives N · x.
            let forward = ComplexFourierTransform(size: size, forward: true)
                .transform(real: input, imaginary: [Float](repeating: 0, count: size))
            let back = ComplexFourierTransform(size: size, forward: false).transform(real: forward.real, imaginary: forward.imaginary)
            #expect(zip(back.real, input).allSatisfy { abs($0 / Float(size) - $1) < 1e-5 })
        }
    }
}
