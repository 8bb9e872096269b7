import Foundation
import Signals
import Testing
import TestSupport

@Suite("WAV and raw float32 reading")
struct AudioReadingTests {
    @Test("16-bit stereo WAV written by Python's wave module")
    func stereoPCM16() throws {
        let signal = try AudioSignal.readWAV(from: Fixtures.signals("stereo_pcm16.wav"))
        #expect(signal.sampleRate == 8000)
        #expect(signal.channels.count == 2)
        #expect(signal.frameCount == 100)
        for frame in 0..<100 {
            let left = Float((32767 * sin(2 * Double.pi * Double(frame) / 25)).rounded()) / 32768
            #expect(signal.channels[0][frame] == left)
            #expect(signal.channels[1][frame] == Float(300 * frame - 15000) / 32768)
        }
    }

    @Test("WAVE_FORMAT_EXTENSIBLE float32 with 3 channels, written by libsndfile")
    func extensibleFloat() throws {
        let signal = try AudioSignal.readWAV(from: Fixtures.signals("three_channel_float32_wavex.wav"))
        #expect(signal.sampleRate == 11025)
        #expect(signal.channels.count == 3)
        #expect(signal.frameCount == 64)
        for channel in 0..<3 {
            for frame in 0..<64 {
                let expected = Float(Double(channel + 1) * 0.25 * cos(2 * Double.pi * Double(frame) / 16))
                #expect(signal.channels[channel][frame] == expected)
            }
        }
    }

    @Test("WAVE_FORMAT_EXTENSIBLE 24-bit PCM (with a fact chunk to skip), written by libsndfile")
    func extensiblePCM24() throws {
        let signal = try AudioSignal.readWAV(from: Fixtures.signals("mono_pcm24_wavex.wav"))
        #expect(signal.sampleRate == 16000)
        #expect(signal.channels.count == 1)
        #expect(signal.frameCount == 50)
        let worst = (0..<50).map { abs(Double(signal.channels[0][$0]) - 0.9 * sin(2 * Double.pi * Double($0) / 10)) }.max()!
        #expect(worst <= 1.0 / 8_388_608)  // one 24-bit step
    }

    @Test("every format round-trips through the writer", arguments: [
        WAVSampleFormat.pcm8, .pcm16, .pcm24, .pcm32, .float32, .float64,
    ])
    func roundTrip(format: WAVSampleFormat) throws {
        let left: [Float] = (0..<257).map { Float(sin(Double($0) * 0.1)) * 0.9 }
        let right: [Float] = (0..<257).map { Float($0 - 128) / 200 }
        let signal = AudioSignal(channels: [left, right], sampleRate: 22050)
        let url = TestPaths.temporaryDirectory().appendingPathComponent("round.wav")
        try signal.writeWAV(to: url, format: format)
        let read = try AudioSignal.readWAV(from: url)
        #expect(read.sampleRate == 22050)
        #expect(read.channels.count == 2)
        #expect(read.frameCount == 257)
        let step: Float = switch format {
        case .pcm8: 1.0 / 128
        case .pcm16: 1.0 / 32768
        case .pcm24: 1.0 / 8_388_608
        case .pcm32: 1e-7  // Float precision, not the 32-bit step
        case .float32, .float64: 0
        }
        let worst = zip(read.channels[0] + read.channels[1], left + right).map { abs($0 - $1) }.max()!
        #expect(worst <= step / 2 + 1e-7)
    }

    func decodeError(_ bytes: [UInt8]) -> SignalsError? {
        do {
            _ = try AudioSignal.decodeWAV(Data(bytes), file: "case.wav")
            return nil
        } catch {
            return error
        }
    }

    func validFile() -> [UInt8] {
        [UInt8](AudioSignal(channels: [[0.1, 0.2, 0.3, 0.4]], sampleRate: 8000).encodeWAV(format: .pcm16))
    }

    @Test("truncated header, bad magic, cut fmt, data longer than file, odd data size, unsupported format")
    func malformedFiles() throws {
        let valid = validFile()
        #expect(valid.count == 44 + 8)

        let short = try #require(decodeError(Array(valid.prefix(10))))
        #expect(short.kind == .truncated)
        #expect(short.file == "case.wav")
        #expect(short.description.contains("12 bytes"))

        var badMagic = valid
        badMagic[0] = UInt8(ascii: "X")
        #expect(decodeError(badMagic)?.kind == .malformed)
        #expect(decodeError(badMagic)?.reason.contains("RIFF") == true)

        var notWave = valid
        notWave[8] = UInt8(ascii: "A")
        #expect(decodeError(notWave)?.reason.contains("WAVE") == true)

        let cutFmt = try #require(decodeError(Array(valid.prefix(30))))
        #expect(cutFmt.kind == .truncated)
        #expect(cutFmt.reason.contains("fmt"))

        let cutData = try #require(decodeError(Array(valid.prefix(48))))  // data declares 8 bytes, 4 present
        #expect(cutData.kind == .truncated)
        #expect(cutData.reason.contains("data chunk declares 8 bytes"))

        var oddData = valid
        oddData[40] = 7  // data size 7 with 2-byte frames
        let odd = try #require(decodeError(oddData))
        #expect(odd.kind == .malformed)
        #expect(odd.reason.contains("multiple of the frame size 2"))

        var adpcm = valid
        adpcm[20] = 2  // format tag 2 = MS ADPCM
        let unsupported = try #require(decodeError(adpcm))
        #expect(unsupported.kind == .unsupportedFormat)
        #expect(unsupported.reason.contains("format tag 2"))

        let noData = try #require(decodeError(Array(valid.prefix(36))))
        #expect(noData.kind == .malformed)
        #expect(noData.reason == "no data chunk")
    }

    @Test("a missing file names its path")
    func missingFile() {
        let url = TestPaths.temporaryDirectory().appendingPathComponent("absent.wav")
        #expect(throws: SignalsError.self) { try AudioSignal.readWAV(from: url) }
        do {
            _ = try AudioSignal.readWAV(from: url)
        } catch {
            #expect(error.kind == .inputOutput)
            #expect(error.description.hasPrefix(url.path))
        }
    }

    @Test("raw float32: CWRU X105_DE has the manifest's sample count; bad sizes are refused")
    func rawFloat32() throws {
        let signal = try Fixtures.cwru("X105")
        #expect(signal.frameCount == Int(try Fixtures.manifest(record: "X105")["n_samples"] ?? ""))
        #expect(signal.sampleRate == 12_000)
        #expect(abs(signal.duration - Double(signal.frameCount) / 12_000) < 1e-12)
        #expect(signal.channels[0].allSatisfy { $0.isFinite && abs($0) < 50 })  // accelerations in g

        #expect(throws: SignalsError.self) { try AudioSignal.decodeRawFloat32(Data([1, 2, 3, 4, 5]), sampleRate: 8000) }
        #expect(throws: SignalsError.self) { try AudioSignal.decodeRawFloat32(Data(), sampleRate: 8000) }
        #expect(throws: SignalsError.self) { try AudioSignal.decodeRawFloat32(Data([0, 0, 0, 0]), sampleRate: 0) }
        let value = try AudioSignal.decodeRawFloat32(Data([0, 0, 0xC0, 0x3F, 0, 0, 0x20, 0xC1]), sampleRate: 1)
        #expect(value.channels[0] == [1.5, -10])
    }
}
