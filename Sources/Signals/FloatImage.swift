import Foundation

/// An image as planar floats: `pixels[c·height·width + y·width + x]`, shape channels × height × width
/// (PyTorch's CHW), row 0 at the top. Values read from files lie in 0...1 (`sample / maxval`).
public struct FloatImage: Sendable, Equatable {
    /// Number of channels: 1 gray, 2 gray+alpha, 3 RGB, 4 RGBA (or any count for computed images).
    public var channels: Int
    /// Rows.
    public var height: Int
    /// Columns.
    public var width: Int
    /// Planar values, `channels · height · width` of them.
    public var pixels: [Float]

    /// Wraps planar values; `pixels.count` must equal `channels · height · width`.
    public init(channels: Int, height: Int, width: Int, pixels: [Float]) {
        precondition(channels > 0 && height >= 0 && width >= 0, "invalid image shape \(channels)×\(height)×\(width)")
        precondition(pixels.count == channels * height * width, "pixels must hold channels × height × width values")
        self.channels = channels
        self.height = height
        self.width = width
        self.pixels = pixels
    }

    /// An image filled with `value`.
    public init(channels: Int, height: Int, width: Int, value: Float = 0) {
        self.init(channels: channels, height: height, width: width,
                  pixels: [Float](repeating: value, count: channels * height * width))
    }

    /// The value of `channel` at row `y`, column `x`.
    public subscript(channel: Int, y: Int, x: Int) -> Float {
        get { pixels[(channel * height + y) * width + x] }
        set { pixels[(channel * height + y) * width + x] = newValue }
    }

    /// The shape `[channels, height, width]`.
    public var shape: [Int] { [channels, height, width] }

    /// Builds an image from interleaved integer samples (`(y·width + x)·channels + c`) divided by `maxValue`.
    init(interleaved samples: [UInt16], channels: Int, height: Int, width: Int, maxValue: Int) {
        var planar = [Float](repeating: 0, count: channels * height * width)
        let divisor = Float(maxValue)
        let plane = height * width
        for index in 0..<plane {
            for channel in 0..<channels {
                planar[channel * plane + index] = Float(samples[index * channels + channel]) / divisor
            }
        }
        self.init(channels: channels, height: height, width: width, pixels: planar)
    }

    /// Interleaved integer samples `round(clamp(v, 0, 1) · maxValue)`, order `(y·width + x)·channels + c`.
    func interleavedSamples(maxValue: Int) -> [UInt16] {
        let plane = height * width
        var samples = [UInt16](repeating: 0, count: plane * channels)
        let scale = Float(maxValue)
        for index in 0..<plane {
            for channel in 0..<channels {
                let value = pixels[channel * plane + index]
                let clamped = value.isNaN ? 0 : min(max(value, 0), 1)
                samples[index * channels + channel] = UInt16((clamped * scale).rounded())
            }
        }
        return samples
    }

    /// Reads a PNG or a PGM/PPM (P2, P3, P5, P6) file, chosen by its first bytes.
    public static func read(from url: URL) throws(SignalsError) -> FloatImage {
        let data = try SignalsError.readFile(url)
        if data.starts(with: [0x89, 0x50, 0x4E, 0x47]) { return try decodePNG(data, file: url.path) }
        if data.first == UInt8(ascii: "P") { return try decodePNM(data, file: url.path) }
        throw SignalsError(.unsupportedFormat, file: url.path,
                           reason: "neither a PNG signature nor a PNM magic number (P2, P3, P5, P6) at the start")
    }
}
