import Foundation
import Signals
import Testing
import TestSupport

@Suite("Image resize, normalisation, patches, spectrogram images")
struct ImageTransformTests {
    func ramp(channels: Int, height: Int, width: Int) -> FloatImage {
        FloatImage(channels: channels, height: height, width: width,
                   pixels: (0..<channels * height * width).map { Float($0) })
    }

    @Test("bilinear resize: identity, a linear ramp stays linear, PyTorch half-pixel values for 2×2 → 4×4")
    func bilinear() {
        let image = ramp(channels: 2, height: 3, width: 5)
        #expect(image.resized(height: 3, width: 5) == image)
        // torch.nn.functional.interpolate(tensor([[[[0,1],[2,3]]]]), size=(4,4), mode='bilinear', align_corners=False)
        let small = FloatImage(channels: 1, height: 2, width: 2, pixels: [0, 1, 2, 3])
        let expected: [Float] = [0, 0.25, 0.75, 1, 0.5, 0.75, 1.25, 1.5, 1.5, 1.75, 2.25, 2.5, 2, 2.25, 2.75, 3]
        #expect(small.resized(height: 4, width: 4).pixels == expected)
        // Downsizing a horizontal ramp v = x by 2: output pixel j samples source x = 2j + 0.5.
        let horizontal = FloatImage(channels: 1, height: 1, width: 8, pixels: (0..<8).map(Float.init))
        #expect(horizontal.resized(height: 1, width: 4).pixels == [0.5, 2.5, 4.5, 6.5])
    }

    @Test("ImageNet normalisation gives (v − mean) / std per channel; per-channel statistics are exact")
    func normalisation() {
        var image = FloatImage(channels: 3, height: 2, width: 2)
        for channel in 0..<3 {
            for y in 0..<2 {
                for x in 0..<2 { image[channel, y, x] = Float(channel) * 0.25 + Float(x + 2 * y) * 0.1 }
            }
        }
        let normalized = image.normalized()
        for channel in 0..<3 {
            let expected = (image[channel, 1, 0] - FloatImage.imageNetMean[channel]) / FloatImage.imageNetStandardDeviation[channel]
            #expect(abs(normalized[channel, 1, 0] - expected) < 1e-6)
        }
        let statistics = image.channelStatistics()
        let standardized = image.normalized(mean: statistics.mean, standardDeviation: statistics.standardDeviation)
        let check = standardized.channelStatistics()
        #expect(check.mean.allSatisfy { abs($0) < 1e-6 })
        #expect(check.standardDeviation.allSatisfy { abs($0 - 1) < 1e-5 })
        #expect(abs(statistics.standardDeviation[0] - Float((0.0125 as Double).squareRoot())) < 1e-6)
    }

    @Test("patches are channel-major within a patch and row-major over the grid (Conv2d patch embedding order)")
    func patchOrder() {
        let image = ramp(channels: 3, height: 6, width: 9)  // value = c·54 + y·9 + x
        let patches = image.patches(size: 2)
        #expect(patches.rows == 3 && patches.columns == 4)  // the 9th column is dropped
        #expect(patches.patchDimension == 12)
        #expect(patches.values.count == 12 * 12)
        for row in 0..<3 {
            for column in 0..<4 {
                let patch = Array(patches.patch(row * 4 + column))
                for c in 0..<3 {
                    for i in 0..<2 {
                        for j in 0..<2 {
                            #expect(patch[c * 4 + i * 2 + j] == image[c, row * 2 + i, column * 2 + j])
                        }
                    }
                }
            }
        }
        // A stride-2 convolution with one filter W[c, i, j] equals the dot product with each flattened patch.
        let weights: [Float] = (0..<12).map { Float($0 % 5) - 2 }
        let convolution = image.pixels.isEmpty ? 0 : (0..<3).reduce(Float(0)) { sum, c in
            sum + (0..<2).reduce(Float(0)) { inner, i in
                inner + (0..<2).reduce(Float(0)) { $0 + weights[c * 4 + i * 2 + $1] * image[c, 2 + i, 6 + $1] }
            }
        }
        let dot = zip(weights, patches.patch(1 * 4 + 3)).reduce(Float(0)) { $0 + $1.0 * $1.1 }
        #expect(dot == convolution)
    }

    @Test("a log-mel spectrogram becomes a one-channel image scaled to 0...1, low frequencies at the bottom")
    func spectrogramImage() throws {
        let samples = Array(try Fixtures.cwru("X105").channels[0].prefix(12_000))
        let logMel = MelSpectrogram(sampleRate: 12_000).logMel(samples)
        let image = FloatImage(spectrogram: logMel)
        #expect(image.shape == [1, 128, 24])
        #expect(image.pixels.min() == 0)
        #expect(image.pixels.max() == 1)
        let minimum = logMel.values.min()!, range = logMel.values.max()! - minimum
        #expect(abs(image[0, 127, 5] - (logMel[0, 5] - minimum) / range) < 1e-6)  // bin 0 at the bottom row
        #expect(abs(image[0, 0, 5] - (logMel[127, 5] - minimum) / range) < 1e-6)
        let topDown = FloatImage(spectrogram: logMel, lowFrequencyAtBottom: false)
        #expect(topDown[0, 0, 5] == image[0, 127, 5])
        let flat = FloatImage(spectrogram: Spectrogram(values: [3, 3, 3, 3], binCount: 2, frameCount: 2))
        #expect(flat.pixels == [0, 0, 0, 0])
        // It can be saved as a PNG for the report.
        let url = TestPaths.temporaryDirectory().appendingPathComponent("mel.png")
        try image.writePNG(to: url)
        #expect(try FloatImage.readPNG(from: url).shape == [1, 128, 24])
    }
}
