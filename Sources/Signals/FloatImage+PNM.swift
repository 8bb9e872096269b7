import Foundation

extension FloatImage {
    /// Decodes a Netpbm graymap or pixmap: P2 (ASCII gray), P3 (ASCII RGB), P5 (binary gray), P6 (binary RGB),
    /// with `maxval` 1...65535 (binary samples are 1 byte below 256, else 2 bytes big-endian).
    /// Header fields are separated by whitespace; `#` starts a comment to the end of the line. Values are
    /// `sample / maxval`. Shape: 1 or 3 channels × height × width. See https://netpbm.sourceforge.net/doc/pgm.html
    /// and https://netpbm.sourceforge.net/doc/ppm.html.
    /// Throws `SignalsError` naming the file, and the line for ASCII fields, for a bad magic number, a missing
    /// or invalid header field, a sample above maxval, or pixel data cut short.
    public static func decodePNM(_ data: Data, file: String = "<memory>") throws(SignalsError) -> FloatImage {
        var reader = NetpbmReader(bytes: [UInt8](data), file: file)
        return try reader.read()
    }

    /// Reads a PGM or PPM file (see `decodePNM`).
    public static func readPNM(from url: URL) throws(SignalsError) -> FloatImage {
        try decodePNM(SignalsError.readFile(url), file: url.path)
    }

    /// Encodes as binary PGM (P5, 1 channel) or PPM (P6, 3 channels) with `maxval` 255 or 65535:
    /// `sample = round(clamp(v, 0, 1) · maxval)`.
    public func encodePNM(maxValue: Int = 255) throws(SignalsError) -> Data {
        guard channels == 1 || channels == 3 else {
            throw SignalsError(.invalidArgument, file: "<pnm>", reason: "PGM/PPM hold 1 or 3 channels, image has \(channels)")
        }
        guard (1...65535).contains(maxValue) else {
            throw SignalsError(.invalidArgument, file: "<pnm>", reason: "maxval must be 1...65535, got \(maxValue)")
        }
        var bytes = Array("\(channels == 1 ? "P5" : "P6")\n\(width) \(height)\n\(maxValue)\n".utf8)
        for sample in interleavedSamples(maxValue: maxValue) {
            if maxValue > 255 { bytes.append(UInt8(sample >> 8)) }
            bytes.append(UInt8(sample & 0xFF))
        }
        return Data(bytes)
    }

    /// Writes a binary PGM or PPM file (see `encodePNM`).
    public func writePNM(to url: URL, maxValue: Int = 255) throws(SignalsError) {
        let data: Data
        do {
            data = try encodePNM(maxValue: maxValue)
        } catch {
            throw SignalsError(error.kind, file: url.path, reason: error.reason)
        }
        try SignalsError.writeFile(data, to: url)
    }
}

/// A cursor over Netpbm bytes that tracks the line number for error messages.
private struct NetpbmReader {
    let bytes: [UInt8]
    let file: String
    var offset = 0
    var line = 1

    init(bytes: [UInt8], file: String) {
        self.bytes = bytes
        self.file = file
    }

    mutating func read() throws(SignalsError) -> FloatImage {
        guard bytes.count >= 2, bytes[0] == UInt8(ascii: "P") else {
            throw SignalsError(.malformed, file: file, reason: "missing Netpbm magic number (expected P2, P3, P5 or P6)")
        }
        let kind = bytes[1]
        let channels: Int
        let ascii: Bool
        switch kind {
        case UInt8(ascii: "2"): (channels, ascii) = (1, true)
        case UInt8(ascii: "3"): (channels, ascii) = (3, true)
        case UInt8(ascii: "5"): (channels, ascii) = (1, false)
        case UInt8(ascii: "6"): (channels, ascii) = (3, false)
        default:
            throw SignalsError(.unsupportedFormat, file: file,
                               reason: "Netpbm type P\(Character(UnicodeScalar(kind))) (supported: P2, P3, P5, P6)")
        }
        offset = 2
        let width = try headerField("width", range: 1...1 << 15)
        let height = try headerField("height", range: 1...1 << 15)
        let maxValue = try headerField("maxval", range: 1...65535)
        let count = width * height * channels
        var samples: [UInt16]
        if ascii {
            // Every ASCII sample takes at least one digit and one separator: refuse a header that promises more
            // samples than the file can hold before allocating for them.
            let remaining = bytes.count - offset
            guard count <= (remaining + 1) / 2 else {
                throw SignalsError(.truncated, file: file,
                                   reason: "header promises \(width)×\(height)×\(channels) samples but only \(remaining) bytes follow")
            }
            samples = [UInt16](repeating: 0, count: count)
            for index in 0..<count {
                guard let value = try number() else {
                    throw SignalsError(.truncated, file: file,
                                       reason: "pixel data ends after \(index) of \(count) samples (line \(line))")
                }
                guard value <= maxValue else {
                    throw SignalsError(.malformed, file: file,
                                       reason: "sample \(index) is \(value), above maxval \(maxValue) (line \(line))")
                }
                samples[index] = UInt16(value)
            }
        } else {
            // Exactly one whitespace byte separates maxval from the raster.
            guard offset < bytes.count, isWhitespace(bytes[offset]) else {
                throw SignalsError(.truncated, file: file, reason: "no whitespace byte after maxval (line \(line))")
            }
            offset += 1
            let bytesPerSample = maxValue > 255 ? 2 : 1
            let needed = count * bytesPerSample
            guard bytes.count - offset >= needed else {
                throw SignalsError(.truncated, file: file,
                                   reason: "raster needs \(needed) bytes for \(width)×\(height)×\(channels) samples, "
                                       + "file has \(bytes.count - offset)")
            }
            samples = [UInt16](repeating: 0, count: count)
            for index in 0..<count {
                let value = bytesPerSample == 2
                    ? UInt16(bytes[offset + 2 * index]) << 8 | UInt16(bytes[offset + 2 * index + 1])
                    : UInt16(bytes[offset + index])
                guard Int(value) <= maxValue else {
                    throw SignalsError(.malformed, file: file, reason: "sample \(index) is \(value), above maxval \(maxValue)")
                }
                samples[index] = value
            }
        }
        return FloatImage(interleaved: samples, channels: channels, height: height, width: width, maxValue: maxValue)
    }

    func isWhitespace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x0B || byte == 0x0C }

    /// Skips whitespace and comments, then reads a decimal number; nil at the end of the data.
    mutating func number() throws(SignalsError) -> Int? {
        while offset < bytes.count {
            let byte = bytes[offset]
            if byte == UInt8(ascii: "#") {
                while offset < bytes.count && bytes[offset] != 0x0A { offset += 1 }
            } else if isWhitespace(byte) {
                if byte == 0x0A { line += 1 }
                offset += 1
            } else {
                break
            }
        }
        guard offset < bytes.count else { return nil }
        var value = 0
        var digits = 0
        while offset < bytes.count, bytes[offset] >= UInt8(ascii: "0"), bytes[offset] <= UInt8(ascii: "9") {
            value = value * 10 + Int(bytes[offset] - UInt8(ascii: "0"))
            digits += 1
            offset += 1
            if value > 1 << 30 {
                throw SignalsError(.malformed, file: file, reason: "number too large (line \(line))")
            }
        }
        guard digits > 0 else {
            throw SignalsError(.malformed, file: file,
                               reason: "expected a decimal number, found byte 0x\(String(bytes[offset], radix: 16)) (line \(line))")
        }
        return value
    }

    mutating func headerField(_ name: String, range: ClosedRange<Int>) throws(SignalsError) -> Int {
        guard let value = try number() else {
            throw SignalsError(.truncated, file: file, reason: "header ends before \(name) (line \(line))")
        }
        guard range.contains(value) else {
            throw SignalsError(.malformed, file: file,
                               reason: "\(name) \(value) is outside \(range.lowerBound)...\(range.upperBound) (line \(line))")
        }
        return value
    }
}
