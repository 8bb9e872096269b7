import Foundation

/// Non-overlapping square patches of an image, flattened for a ViT patch embedding.
///
/// `values` is row-major `[patchCount, patchDimension]` with `patchDimension = channels · size · size`.
/// Patch `p = row · columns + column` covers pixels `[row·size, (row+1)·size) × [column·size, (column+1)·size)`;
/// within a patch the order is channel-major, then y, then x: element `c·size² + i·size + j` is
/// `image[c, row·size + i, column·size + j]`. This is the order of a `Conv2d(C, D, kernel=size, stride=size)`
/// weight `[D, C, size, size]` flattened to `[D, C·size²]`, and of its output `flatten(2).transpose(1, 2)`:
/// `conv(x)[d, row, column] = Σ_e W[d, e] · values[p, e]`.
public struct ImagePatches: Sendable, Equatable {
    /// Flattened patches, `patchCount · patchDimension` values.
    public var values: [Float]
    /// Patch side in pixels.
    public var size: Int
    /// Patches down the image, `⌊height / size⌋`.
    public var rows: Int
    /// Patches across the image, `⌊width / size⌋`.
    public var columns: Int
    /// Values per patch, `channels · size · size`.
    public var patchDimension: Int

    /// `rows · columns`.
    public var patchCount: Int { rows * columns }

    /// The flattened patch p.
    public func patch(_ index: Int) -> ArraySlice<Float> {
        values[index * patchDimension..<(index + 1) * patchDimension]
    }
}

extension FloatImage {
    /// Cuts the image into non-overlapping `size × size` patches (see `ImagePatches`). Pixels beyond the last
    /// whole patch on the right and bottom are dropped, as a stride-`size` convolution drops them.
    public func patches(size: Int) -> ImagePatches {
        precondition(size > 0, "patch size must be positive")
        let rows = height / size, columns = width / size
        let dimension = channels * size * size
        var values = [Float](repeating: 0, count: rows * columns * dimension)
        var cursor = 0
        for row in 0..<rows {
            for column in 0..<columns {
                for channel in 0..<channels {
                    for i in 0..<size {
                        let start = (channel * height + row * size + i) * width + column * size
                        for j in 0..<size { values[cursor + j] = pixels[start + j] }
                        cursor += size
                    }
                }
            }
        }
        return ImagePatches(values: values, size: size, rows: rows, columns: columns, patchDimension: dimension)
    }
}
