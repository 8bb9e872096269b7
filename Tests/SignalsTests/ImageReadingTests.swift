import Foundation
import Signals
import Testing
import TestSupport

/// The formulas of Benchmarks/signals/image_fixtures.py.
private enum Expected {
    static let width = 7, height = 5
    static func value8(_ channel: Int, _ y: Int, _ x: Int) -> Float { Float((37 * x + 91 * y + 53 * channel + 11) % 256) / 255 }
    static func value16(_ channel: Int, _ y: Int, _ x: Int) -> Float {
        Float((9973 * x + 31337 * y + 7919 * channel + 5) % 65536) / 65535
    }
    static let palette: [[Float]] = [[255, 0, 0], [0, 128, 255], [10, 20, 30], [200, 200, 200]].map { $0.map { $0 / 255 } }

    static func image(channels: Int, _ value: (Int, Int, Int) -> Float) -> FloatImage {
        var image = FloatImage(channels: channels, height: height, width: width)
        for channel in 0..<channels {
            for y in 0..<height {
                for x in 0..<width { image[channel, y, x] = value(channel, y, x) }
            }
        }
        return image
    }
}

@Suite("PNG and PNM reading and writing")
struct ImageReadingTests {
    @Test("PNG fixtures from Pillow and a zlib writer decode to the formula values", arguments: [
        ("gray8.png", 1, 8), ("gray_alpha8.png", 2, 8), ("rgb8.png", 3, 8), ("rgba8.png", 4, 8),
        ("gray16.png", 1, 16), ("rgb16.png", 3, 16), ("rgba16.png", 4, 16), ("rgb8_interlaced.png", 3, 8),
        ("gray8.pgm", 1, 8), ("rgb8.ppm", 3, 8), ("gray16.pgm", 1, 16), ("ascii.pgm", 1, 8),
    ])
    func decodesFixture(name: String, channels: Int, bits: Int) throws {
        let image = try FloatImage.read(from: Fixtures.signals(name))
        #expect(image.shape == [channels, Expected.height, Expected.width])
        let expected = Expected.image(channels: channels, bits == 8 ? Expected.value8 : Expected.value16)
        #expect(image.pixels == expected.pixels)
    }

    @Test("palette PNG with tRNS expands to RGBA; 1-bit gray expands to 0 and 1")
    func paletteAndOneBit() throws {
        let palette = try FloatImage.readPNG(from: Fixtures.signals("palette_trns.png"))
        #expect(palette.shape == [4, 5, 7])
        for y in 0..<5 {
            for x in 0..<7 {
                let index = (x + 2 * y) % 4
                for channel in 0..<3 { #expect(palette[channel, y, x] == Expected.palette[index][channel]) }
                #expect(palette[3, y, x] == (index == 1 ? 0 : 1))
            }
        }
        let bits = try FloatImage.readPNG(from: Fixtures.signals("gray1.png"))
        #expect(bits.shape == [1, 5, 7])
        for y in 0..<5 {
            for x in 0..<7 { #expect(bits[0, y, x] == Float((x + y) % 2)) }
        }
    }

    @Test("ASCII PPM with maxval 1000 scales by 1/1000")
    func asciiPixmap() throws {
        let image = try FloatImage.read(from: Fixtures.signals("ascii.ppm"))
        #expect(image.shape == [3, 5, 7])
        let expected = Expected.image(channels: 3) { c, y, x in Float((137 * x + 251 * y + 311 * c) % 1001) / 1000 }
        #expect(image.pixels == expected.pixels)
    }

    @Test("PNG and PNM writers round-trip at 8 and 16 bits", arguments: [1, 2, 3, 4])
    func roundTrip(channels: Int) throws {
        let directory = TestPaths.temporaryDirectory()
        let image = Expected.image(channels: channels, Expected.value16)
        for bits in [8, 16] {
            let url = directory.appendingPathComponent("image\(bits).png")
            try image.writePNG(to: url, bitDepth: bits)
            let read = try FloatImage.read(from: url)
            #expect(read.shape == image.shape)
            let step: Float = bits == 8 ? 1 / 255 : 1 / 65535
            #expect(zip(read.pixels, image.pixels).allSatisfy { abs($0 - $1) <= step / 2 + 1e-7 })
        }
        if channels == 1 || channels == 3 {
            let url = directory.appendingPathComponent("image.pnm")
            try image.writePNM(to: url, maxValue: 65535)
            #expect(try FloatImage.read(from: url).pixels == image.pixels)
        } else {
            #expect(throws: SignalsError.self) { try image.writePNM(to: directory.appendingPathComponent("x.pnm")) }
        }
    }

    func error(_ bytes: [UInt8], png: Bool) -> SignalsError? {
        do {
            _ = png ? try FloatImage.decodePNG(Data(bytes), file: "bad.png") : try FloatImage.decodePNM(Data(bytes), file: "bad.pgm")
            return nil
        } catch {
            return error
        }
    }

    @Test("truncated or corrupted PNGs give libpng's reason with the file name")
    func malformedPNG() throws {
        let valid = [UInt8](try Data(contentsOf: Fixtures.signals("rgb8.png")))
        let shortSignature = try #require(error(Array(valid.prefix(5)), png: true))
        #expect(shortSignature.kind == .truncated)
        #expect(shortSignature.file == "bad.png")

        for cut in [20, 40, valid.count - 20, valid.count - 5] {
            let truncated = try #require(error(Array(valid.prefix(cut)), png: true), "cut at \(cut)")
            #expect(truncated.description.hasPrefix("bad.png: "))
            #expect(truncated.reason.hasPrefix("PNG: "))
        }
        #expect(error(Array(valid.prefix(40)), png: true)?.kind == .truncated)

        var corrupted = valid
        corrupted[valid.count - 30] ^= 0xFF  // inside IDAT: CRC or zlib error
        let bad = try #require(error(corrupted, png: true))
        #expect(bad.kind == .malformed)
        print("corrupted PNG:", bad)

        var badSignature = valid
        badSignature[1] = 0
        #expect(error(badSignature, png: true)?.reason == "PNG: bad PNG signature")
    }

    @Test("malformed PGM/PPM: bad magic, P1, missing header, maxval, truncated raster, sample above maxval")
    func malformedPNM() throws {
        let valid = [UInt8](try Data(contentsOf: Fixtures.signals("gray8.pgm")))
        #expect(error(Array("Q5\n1 1\n255\n\u{0}".utf8), png: false)?.kind == .malformed)
        #expect(error(Array("P1\n1 1\n1\n".utf8), png: false)?.kind == .unsupportedFormat)
        let header = try #require(error(Array("P5\n7 ".utf8), png: false))
        #expect(header.kind == .truncated)
        #expect(header.reason.contains("height"))
        let maxval = try #require(error(Array("P5\n7 5\n70000\n".utf8), png: false))
        #expect(maxval.reason.contains("maxval 70000"))
        let raster = try #require(error(Array(valid.dropLast(3)), png: false))
        #expect(raster.kind == .truncated)
        #expect(raster.reason.contains("raster needs 35 bytes"))
        let ascii = try #require(error(Array("P2\n2 2\n10\n1 2\n3 11\n".utf8), png: false))
        #expect(ascii.reason == "sample 3 is 11, above maxval 10 (line 5)")
        let asciiShort = try #require(error(Array("P2\n2 2\n10\n1 2\n3\n".utf8), png: false))
        #expect(asciiShort.reason.contains("after 3 of 4 samples"))
        let huge = try #require(error(Array("P2\n32768 32768\n255\n0 0".utf8), png: false))
        #expect(huge.kind == .truncated)
        #expect(huge.reason.contains("32768×32768×1 samples"))
        let hugeBinary = try #require(error(Array("P6\n32768 32768\n65535\n\u{0}\u{0}".utf8), png: false))
        #expect(hugeBinary.reason.contains("raster needs 6442450944 bytes"))
        let letters = try #require(error(Array("P2\n2 x\n".utf8), png: false))
        #expect(letters.reason.contains("line 2"))
    }
}
