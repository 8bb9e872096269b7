import CPNG
import Foundation

extension FloatImage {
    /// Decodes a PNG with libpng: any colour type (gray, gray+alpha, RGB, RGBA, palette) and depth (1–16 bits),
    /// interlaced or not. Palette and low-depth gray are expanded (`png_set_expand`), a tRNS chunk becomes an
    /// alpha channel; samples are divided by 255 or 65535. Shape: 1, 2, 3 or 4 channels × height × width.
    /// Throws `SignalsError` with libpng's reason for a bad signature, a truncated file or a corrupt chunk.
    public static func decodePNG(_ data: Data, file: String = "<memory>") throws(SignalsError) -> FloatImage {
        var image = kgfuse_png_image()
        let succeeded = data.withUnsafeBytes { raw in
            kgfuse_png_decode(raw.bindMemory(to: UInt8.self).baseAddress, raw.count, &image)
        }
        defer { kgfuse_png_free(image.pixels) }
        guard succeeded == 1, let pixels = image.pixels else {
            let message = withUnsafeBytes(of: image.message) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            let kind: SignalsError.Kind = message.contains("truncated") || message.contains("shorter") ? .truncated : .malformed
            throw SignalsError(kind, file: file, reason: "PNG: \(message)")
        }
        let channels = Int(image.channels), height = Int(image.height), width = Int(image.width)
        let count = channels * height * width
        var samples = [UInt16](repeating: 0, count: count)
        if image.bitDepth == 16 {
            for index in 0..<count { samples[index] = UInt16(pixels[2 * index]) << 8 | UInt16(pixels[2 * index + 1]) }
        } else {
            for index in 0..<count { samples[index] = UInt16(pixels[index]) }
        }
        return FloatImage(interleaved: samples, channels: channels, height: height, width: width,
                          maxValue: image.bitDepth == 16 ? 65535 : 255)
    }

    /// Reads a PNG file (see `decodePNG`).
    public static func readPNG(from url: URL) throws(SignalsError) -> FloatImage {
        try decodePNG(SignalsError.readFile(url), file: url.path)
    }

    /// Encodes as PNG (gray, gray+alpha, RGB or RGBA by channel count 1–4) at 8 or 16 bits per sample:
    /// `sample = round(clamp(v, 0, 1) · (2^bitDepth − 1))`.
    public func encodePNG(bitDepth: Int = 8) throws(SignalsError) -> Data {
        guard (1...4).contains(channels) else {
            throw SignalsError(.invalidArgument, file: "<png>", reason: "PNG holds 1 to 4 channels, image has \(channels)")
        }
        guard bitDepth == 8 || bitDepth == 16 else {
            throw SignalsError(.invalidArgument, file: "<png>", reason: "bit depth must be 8 or 16, got \(bitDepth)")
        }
        let samples = interleavedSamples(maxValue: bitDepth == 16 ? 65535 : 255)
        var bytes = [UInt8]()
        bytes.reserveCapacity(samples.count * bitDepth / 8)
        for sample in samples {
            if bitDepth == 16 { bytes.append(UInt8(sample >> 8)) }
            bytes.append(UInt8(sample & 0xFF))
        }
        var buffer = kgfuse_png_buffer()
        let succeeded = bytes.withUnsafeBufferPointer { pointer in
            kgfuse_png_encode(pointer.baseAddress, UInt32(width), UInt32(height), UInt32(channels), UInt32(bitDepth), &buffer)
        }
        defer { kgfuse_png_free(buffer.data) }
        guard succeeded == 1, let data = buffer.data else {
            let message = withUnsafeBytes(of: buffer.message) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            throw SignalsError(.invalidArgument, file: "<png>", reason: "PNG encoding failed: \(message)")
        }
        return Data(bytes: data, count: buffer.size)
    }

    /// Writes a PNG file (see `encodePNG`).
    public func writePNG(to url: URL, bitDepth: Int = 8) throws(SignalsError) {
        let data: Data
        do {
            data = try encodePNG(bitDepth: bitDepth)
        } catch {
            throw SignalsError(error.kind, file: url.path, reason: error.reason)
        }
        try SignalsError.writeFile(data, to: url)
    }
}
