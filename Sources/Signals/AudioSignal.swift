import Foundation

/// A sampled signal with one or more channels: `channels[c][n]` is sample n of channel c, at `sampleRate` Hz.
///
/// Every channel has the same length. Values are the file's samples scaled to floats: PCM integers map to
/// [−1, 1) (`value / 2^(bits−1)`), float files and raw float32 arrays keep their values (for CWRU: g).
public struct AudioSignal: Sendable, Equatable {
    /// The samples, one array per channel, all of equal length.
    public var channels: [[Float]]
    /// Samples per second of each channel (Hz).
    public var sampleRate: Int

    /// Creates a signal; every channel must have the same length and the sample rate must be positive.
    public init(channels: [[Float]], sampleRate: Int) {
        precondition(sampleRate > 0, "sample rate must be positive, got \(sampleRate)")
        precondition(Set(channels.map(\.count)).count <= 1, "channels must have equal lengths")
        self.channels = channels
        self.sampleRate = sampleRate
    }

    /// Creates a one-channel signal.
    public init(mono samples: [Float], sampleRate: Int) {
        self.init(channels: [samples], sampleRate: sampleRate)
    }

    /// Samples per channel.
    public var frameCount: Int { channels.first?.count ?? 0 }

    /// Length in seconds, `frameCount / sampleRate`.
    public var duration: Double { Double(frameCount) / Double(sampleRate) }

    /// The mean over channels of each sample (channel 0 itself when there is one channel).
    public var mixedToMono: [Float] {
        guard channels.count > 1 else { return channels.first ?? [] }
        let scale = 1 / Float(channels.count)
        var mixed = [Float](repeating: 0, count: frameCount)
        for channel in channels {
            for index in 0..<frameCount { mixed[index] += channel[index] }
        }
        for index in 0..<frameCount { mixed[index] *= scale }
        return mixed
    }
}

extension AudioSignal {
    /// Reads a headerless array of little-endian IEEE-754 float32 samples (one channel) at `sampleRate` Hz.
    ///
    /// Throws if the file cannot be read, is empty, or its size is not a multiple of 4 bytes.
    public static func readRawFloat32(from url: URL, sampleRate: Int) throws(SignalsError) -> AudioSignal {
        guard sampleRate > 0 else {
            throw SignalsError(.invalidArgument, file: url.path, reason: "sample rate must be positive, got \(sampleRate)")
        }
        let data = try SignalsError.readFile(url)
        return try decodeRawFloat32(data, sampleRate: sampleRate, file: url.path)
    }

    /// Decodes headerless little-endian float32 bytes (one channel); `file` names the source in errors.
    public static func decodeRawFloat32(_ data: Data, sampleRate: Int, file: String = "<memory>") throws(SignalsError)
        -> AudioSignal
    {
        guard sampleRate > 0 else {
            throw SignalsError(.invalidArgument, file: file, reason: "sample rate must be positive, got \(sampleRate)")
        }
        guard !data.isEmpty else { throw SignalsError(.truncated, file: file, reason: "file is empty") }
        guard data.count % 4 == 0 else {
            throw SignalsError(.truncated, file: file,
                               reason: "size \(data.count) bytes is not a multiple of 4 (float32 samples)")
        }
        let count = data.count / 4
        var samples = [Float](repeating: 0, count: count)
        data.withUnsafeBytes { raw in
            for index in 0..<count {
                samples[index] = Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * index, as: UInt32.self)))
            }
        }
        return AudioSignal(mono: samples, sampleRate: sampleRate)
    }
}
