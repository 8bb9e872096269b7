import Foundation

extension FloatImage {
    /// ImageNet per-channel means (RGB), as torchvision's `Normalize` uses for pretrained models.
    public static let imageNetMean: [Float] = [0.485, 0.456, 0.406]
    /// ImageNet per-channel standard deviations (RGB).
    public static let imageNetStandardDeviation: [Float] = [0.229, 0.224, 0.225]

    /// Per-channel standardisation `(v − mean[c]) / std[c]`; `mean` and `std` hold one value per channel
    /// (a single value is used for every channel). Defaults: ImageNet's.
    public func normalized(mean: [Float] = FloatImage.imageNetMean,
                           standardDeviation: [Float] = FloatImage.imageNetStandardDeviation) -> FloatImage {
        precondition(mean.count == channels || mean.count == 1, "need one mean per channel (\(channels)) or one in all")
        precondition(standardDeviation.count == mean.count, "mean and standard deviation counts differ")
        precondition(standardDeviation.allSatisfy { $0 > 0 }, "standard deviations must be positive")
        var result = pixels
        let plane = height * width
        for channel in 0..<channels {
            let index = mean.count == 1 ? 0 : channel
            let offset = mean[index], scale = 1 / standardDeviation[index]
            for position in channel * plane..<(channel + 1) * plane { result[position] = (result[position] - offset) * scale }
        }
        return FloatImage(channels: channels, height: height, width: width, pixels: result)
    }

    /// Each channel's own mean and (population) standard deviation, `√(Σ(v − μ)² / n)`, computed in Double.
    public func channelStatistics() -> (mean: [Float], standardDeviation: [Float]) {
        let plane = height * width
        var means: [Float] = [], deviations: [Float] = []
        for channel in 0..<channels {
            let values = pixels[channel * plane..<(channel + 1) * plane]
            let mean = values.reduce(0.0) { $0 + Double($1) } / Double(max(plane, 1))
            let variance = values.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / Double(max(plane, 1))
            means.append(Float(mean))
            deviations.append(Float(variance.squareRoot()))
        }
        return (means, deviations)
    }
}
