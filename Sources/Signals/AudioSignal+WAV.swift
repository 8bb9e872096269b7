import Foundation

/// The sample encodings of a WAV file that this module reads and writes.
public enum WAVSampleFormat: Sendable, Equatable {
    /// Unsigned 8-bit PCM (`(byte − 128) / 128`).
    case pcm8
    /// Signed 16-bit little-endian PCM (`value / 32768`).
    case pcm16
    /// Signed 24-bit little-endian PCM (`value / 8388608`).
    case pcm24
    /// Signed 32-bit little-endian PCM (`value / 2147483648`).
    case pcm32
    /// IEEE-754 32-bit float, values kept as they are.
    case float32
    /// IEEE-754 64-bit float, rounded to Float.
    case float64

    /// Bytes per sample of one channel.
    public var bytesPerSample: Int {
        switch self {
        case .pcm8: 1
        case .pcm16: 2
        case .pcm24: 3
        case .pcm32, .float32: 4
        case .float64: 8
        }
    }

    var formatTag: UInt16 {
        switch self {
        case .pcm8, .pcm16, .pcm24, .pcm32: 1
        case .float32, .float64: 3
        }
    }
}

extension AudioSignal {
    /// Reads a RIFF/WAVE file: PCM 8/16/24/32-bit, IEEE float 32/64-bit, any channel count, and
    /// `WAVE_FORMAT_EXTENSIBLE` (0xFFFE) whose sub-format GUID is PCM or IEEE float.
    ///
    /// Chunks other than `fmt ` and `data` are skipped (with RIFF's pad byte after odd-sized chunks).
    /// Throws `SignalsError` naming the file for: a header shorter than 12 bytes, a missing RIFF/WAVE magic,
    /// a chunk header or `fmt ` chunk cut short, a missing `fmt ` or `data` chunk, an unsupported format tag
    /// or bit depth, a `data` chunk declared longer than the file, or a data size that is not a whole number
    /// of frames.
    public static func readWAV(from url: URL) throws(SignalsError) -> AudioSignal {
        try decodeWAV(SignalsError.readFile(url), file: url.path)
    }

    /// Decodes WAV bytes (see `readWAV(from:)`); `file` names the source in errors.
    public static func decodeWAV(_ data: Data, file: String = "<memory>") throws(SignalsError) -> AudioSignal {
        let bytes = [UInt8](data)
        func u16(_ offset: Int) -> UInt16 { UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8 }
        func u32(_ offset: Int) -> UInt32 {
            UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16
                | UInt32(bytes[offset + 3]) << 24
        }
        func tag(_ offset: Int) -> String { String(decoding: bytes[offset..<offset + 4], as: UTF8.self) }

        guard bytes.count >= 12 else {
            throw SignalsError(.truncated, file: file, reason: "RIFF header needs 12 bytes, file has \(bytes.count)")
        }
        guard tag(0) == "RIFF" else {
            throw SignalsError(.malformed, file: file, reason: "missing RIFF magic (found \(tag(0).debugDescription))")
        }
        guard tag(8) == "WAVE" else {
            throw SignalsError(.malformed, file: file, reason: "RIFF form type is \(tag(8).debugDescription), not \"WAVE\"")
        }

        var format: WAVSampleFormat?
        var channelCount = 0
        var sampleRate = 0
        var blockAlign = 0
        var offset = 12
        while offset < bytes.count {
            guard offset + 8 <= bytes.count else {
                throw SignalsError(.truncated, file: file, reason: "chunk header at byte \(offset) is cut short")
            }
            let chunkID = tag(offset)
            let chunkSize = Int(u32(offset + 4))
            let body = offset + 8
            if chunkID == "fmt " {
                guard chunkSize >= 16 else {
                    throw SignalsError(.malformed, file: file, reason: "fmt chunk is \(chunkSize) bytes, needs at least 16")
                }
                guard body + chunkSize <= bytes.count else {
                    throw SignalsError(.truncated, file: file,
                                       reason: "fmt chunk declares \(chunkSize) bytes, file ends after \(bytes.count - body)")
                }
                var formatTag = u16(body)
                channelCount = Int(u16(body + 2))
                sampleRate = Int(u32(body + 4))
                blockAlign = Int(u16(body + 12))
                let bitsPerSample = Int(u16(body + 14))
                if formatTag == 0xFFFE {
                    guard chunkSize >= 40 else {
                        throw SignalsError(.malformed, file: file,
                                           reason: "WAVE_FORMAT_EXTENSIBLE fmt chunk is \(chunkSize) bytes, needs 40")
                    }
                    // SubFormat GUID at byte 24 of the fmt body; its first two bytes are the format tag.
                    formatTag = u16(body + 24)
                }
                switch (formatTag, bitsPerSample) {
                case (1, 8): format = .pcm8
                case (1, 16): format = .pcm16
                case (1, 24): format = .pcm24
                case (1, 32): format = .pcm32
                case (3, 32): format = .float32
                case (3, 64): format = .float64
                default:
                    throw SignalsError(.unsupportedFormat, file: file,
                                       reason: "format tag \(formatTag) with \(bitsPerSample) bits per sample "
                                           + "(supported: PCM 8/16/24/32-bit, IEEE float 32/64-bit)")
                }
                guard channelCount > 0 else {
                    throw SignalsError(.malformed, file: file, reason: "fmt chunk declares 0 channels")
                }
                guard sampleRate > 0 else {
                    throw SignalsError(.malformed, file: file, reason: "fmt chunk declares sample rate 0")
                }
                let expectedAlign = channelCount * format!.bytesPerSample
                guard blockAlign == expectedAlign else {
                    throw SignalsError(.malformed, file: file,
                                       reason: "block align \(blockAlign) ≠ channels × bytes per sample = \(expectedAlign)")
                }
            } else if chunkID == "data" {
                guard let format else {
                    throw SignalsError(.malformed, file: file, reason: "data chunk at byte \(offset) comes before any fmt chunk")
                }
                guard body + chunkSize <= bytes.count else {
                    throw SignalsError(.truncated, file: file,
                                       reason: "data chunk declares \(chunkSize) bytes but the file holds only "
                                           + "\(bytes.count - body) after its header")
                }
                guard chunkSize % blockAlign == 0 else {
                    throw SignalsError(.malformed, file: file,
                                       reason: "data chunk size \(chunkSize) is not a multiple of the frame size \(blockAlign)")
                }
                let frames = chunkSize / blockAlign
                var channels = [[Float]](repeating: [Float](repeating: 0, count: frames), count: channelCount)
                bytes.withUnsafeBytes { raw in
                    for frame in 0..<frames {
                        for channel in 0..<channelCount {
                            let at = body + frame * blockAlign + channel * format.bytesPerSample
                            channels[channel][frame] = Self.decodeSample(raw, at: at, format: format)
                        }
                    }
                }
                return AudioSignal(channels: channels, sampleRate: sampleRate)
            }
            offset = body + chunkSize + (chunkSize & 1)
        }
        throw SignalsError(.malformed, file: file, reason: format == nil ? "no fmt chunk" : "no data chunk")
    }

    private static func decodeSample(_ raw: UnsafeRawBufferPointer, at offset: Int, format: WAVSampleFormat) -> Float {
        switch format {
        case .pcm8:
            return (Float(raw[offset]) - 128) / 128
        case .pcm16:
            let value = Int16(bitPattern: UInt16(raw[offset]) | UInt16(raw[offset + 1]) << 8)
            return Float(value) / 32768
        case .pcm24:
            let unsigned = UInt32(raw[offset]) | UInt32(raw[offset + 1]) << 8 | UInt32(raw[offset + 2]) << 16
            let value = Int32(bitPattern: unsigned << 8) >> 8
            return Float(value) / 8_388_608
        case .pcm32:
            let value = Int32(bitPattern: raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self).littleEndian)
            return Float(Double(value) / 2_147_483_648)
        case .float32:
            return Float(bitPattern: raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self).littleEndian)
        case .float64:
            return Float(Double(bitPattern: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self).littleEndian))
        }
    }

    /// The bytes of a canonical WAV file (RIFF, `fmt ` of 16 bytes, `data`) holding this signal.
    ///
    /// PCM encodings round `value · 2^(bits−1)` to nearest and clip to the integer range (8-bit adds 128);
    /// float encodings store the values as they are.
    public func encodeWAV(format: WAVSampleFormat = .pcm16) -> Data {
        let channelCount = channels.count
        let frames = frameCount
        let blockAlign = channelCount * format.bytesPerSample
        let dataSize = frames * blockAlign
        var out = [UInt8]()
        out.reserveCapacity(44 + dataSize)
        func append32(_ value: UInt32) { withUnsafeBytes(of: value.littleEndian) { out.append(contentsOf: $0) } }
        func append16(_ value: UInt16) { withUnsafeBytes(of: value.littleEndian) { out.append(contentsOf: $0) } }
        out.append(contentsOf: Array("RIFF".utf8))
        append32(UInt32(36 + dataSize))
        out.append(contentsOf: Array("WAVEfmt ".utf8))
        append32(16)
        append16(format.formatTag)
        append16(UInt16(channelCount))
        append32(UInt32(sampleRate))
        append32(UInt32(sampleRate * blockAlign))
        append16(UInt16(blockAlign))
        append16(UInt16(format.bytesPerSample * 8))
        out.append(contentsOf: Array("data".utf8))
        append32(UInt32(dataSize))
        func quantise(_ value: Float, bits: Int) -> Int64 {
            let scale = Double(Int64(1) << (bits - 1))
            let scaled = (Double(value) * scale).rounded()
            return Int64(min(max(scaled, -scale), scale - 1))
        }
        for frame in 0..<frames {
            for channel in 0..<channelCount {
                let value = channels[channel][frame]
                switch format {
                case .pcm8:
                    out.append(UInt8(quantise(value, bits: 8) + 128))
                case .pcm16:
                    append16(UInt16(truncatingIfNeeded: quantise(value, bits: 16)))
                case .pcm24:
                    let word = UInt32(truncatingIfNeeded: quantise(value, bits: 24))
                    out.append(UInt8(word & 0xFF))
                    out.append(UInt8((word >> 8) & 0xFF))
                    out.append(UInt8((word >> 16) & 0xFF))
                case .pcm32:
                    append32(UInt32(truncatingIfNeeded: quantise(value, bits: 32)))
                case .float32:
                    append32(value.bitPattern)
                case .float64:
                    withUnsafeBytes(of: Double(value).bitPattern.littleEndian) { out.append(contentsOf: $0) }
                }
            }
        }
        return Data(out)
    }

    /// Writes this signal as a WAV file (see `encodeWAV(format:)`).
    public func writeWAV(to url: URL, format: WAVSampleFormat = .pcm16) throws(SignalsError) {
        try SignalsError.writeFile(encodeWAV(format: format), to: url)
    }
}
