import Foundation

extension FloatImage {
    /// Bilinear resize to `height × width`, per channel, with half-pixel centres (PyTorch
    /// `F.interpolate(mode='bilinear', align_corners=False, antialias=False)`):
    /// source coordinate `s = max(0, (d + 0.5) · inSize / outSize − 0.5)`, `i0 = ⌊s⌋`, `i1 = min(i0 + 1, inSize − 1)`,
    /// `λ = s − i0`, value `(1−λy)((1−λx)·p[i0y,i0x] + λx·p[i0y,i1x]) + λy((1−λx)·p[i1y,i0x] + λx·p[i1y,i1x])`.
    /// Shrinking by more than 2× samples without a low-pass (no antialiasing), as PyTorch does by default.
    public func resized(height newHeight: Int, width newWidth: Int) -> FloatImage {
        precondition(newHeight > 0 && newWidth > 0, "target size must be positive")
        precondition(height > 0 && width > 0, "cannot resize an empty image")
        func taps(outSize: Int, inSize: Int) -> [(Int, Int, Float)] {
            let scale = Double(inSize) / Double(outSize)
            return (0..<outSize).map { destination in
                let source = max(0, (Double(destination) + 0.5) * scale - 0.5)
                let low = min(Int(source), inSize - 1)
                let high = min(low + 1, inSize - 1)
                return (low, high, Float(source - Double(low)))
            }
        }
        let rows = taps(outSize: newHeight, inSize: height)
        let columns = taps(outSize: newWidth, inSize: width)
        var result = [Float](repeating: 0, count: channels * newHeight * newWidth)
        for channel in 0..<channels {
            let base = channel * height * width
            let outBase = channel * newHeight * newWidth
            for (y, (top, bottom, fy)) in rows.enumerated() {
                for (x, (left, right, fx)) in columns.enumerated() {
                    let upper = (1 - fx) * pixels[base + top * width + left] + fx * pixels[base + top * width + right]
                    let lower = (1 - fx) * pixels[base + bottom * width + left] + fx * pixels[base + bottom * width + right]
                    result[outBase + y * newWidth + x] = (1 - fy) * upper + fy * lower
                }
            }
        }
        return FloatImage(channels: channels, height: newHeight, width: newWidth, pixels: result)
    }
}
