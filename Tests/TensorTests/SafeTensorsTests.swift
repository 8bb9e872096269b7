import Foundation
import Tensor
import Testing
import TestSupport

/// Paths of the shared fixtures, found from this file: the repository root holds Package.swift, shared/ is beside it.
enum SafeTensorsFixtures {
    static let repositoryRoot = TestPaths.repositoryRoot

    static let tinyBert = repositoryRoot.deletingLastPathComponent()
        .appendingPathComponent("shared/models/hf_tiny/bert")

    /// A fresh temporary folder, removed by the caller.
    static func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("kgfuse-safetensors-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    struct Reference: Decodable {
        struct Entry: Decodable {
            var name: String
            var dtype: String
            var shape: [Int]
        }
        var safetensors_tensors: [Entry]
        var safetensors_metadata: [String: String]
    }
}

@Suite("safetensors reading")
struct SafeTensorsReadingTests {
    @Test("The tiny BERT checkpoint lists exactly the tensors, dtypes, shapes and metadata of its reference")
    func readsRealFile() throws {
        let file = try SafeTensorsFile(path: SafeTensorsFixtures.tinyBert.appendingPathComponent("model.safetensors").path)
        let reference = try JSONDecoder().decode(
            SafeTensorsFixtures.Reference.self,
            from: Data(contentsOf: SafeTensorsFixtures.tinyBert.appendingPathComponent("reference.json")))
        #expect(file.metadata == reference.safetensors_metadata)
        #expect(file.metadata["format"] == "pt")
        #expect(file.names == reference.safetensors_tensors.map(\.name))
        for entry in reference.safetensors_tensors {
            let info = try file.info(entry.name)
            #expect(info.dtype.rawValue == entry.dtype)
            #expect(info.shape == entry.shape)
        }
        let words = try file.floats("embeddings.word_embeddings.weight", shape: [30522, 32])
        #expect(words.count == 30522 * 32)
        #expect(words.allSatisfy { $0.isFinite })
        // Gamma of the embedding LayerNorm is 1 + 0.1·noise (the reference's init recipe): near 1, never exactly 1.
        let gamma = try file.floats("embeddings.LayerNorm.weight")
        #expect(gamma.allSatisfy { abs($0 - 1) < 0.6 && $0 != 1 })
    }

    @Test("An unknown tensor name is an error naming it")
    func unknownTensor() throws {
        let path = SafeTensorsFixtures.tinyBert.appendingPathComponent("model.safetensors").path
        let file = try SafeTensorsFile(path: path)
        #expect(throws: SafeTensorsError(file: path, field: "nope", message: "no such tensor in the file")) {
            try file.floats("nope")
        }
        #expect(throws: SafeTensorsError.self) {
            try file.floats("pooler.dense.weight", shape: [32, 31])
        }
    }

    @Test("Every truncated copy of a real file is refused with an error naming the file, never a crash")
    func truncatedCopies() throws {
        let original = try [UInt8](Data(contentsOf: SafeTensorsFixtures.tinyBert.appendingPathComponent("model.safetensors")))
        let folder = try SafeTensorsFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let headerLength = Int(original[0]) | Int(original[1]) << 8 | Int(original[2]) << 16
        // Lengths: inside the length prefix, inside the header, at its end, inside the data, one byte short.
        let lengths = [0, 3, 7, 8, 9, 100, 8 + headerLength - 1, 8 + headerLength, 8 + headerLength + 1,
                       original.count / 2, original.count - 1]
        for length in lengths {
            let path = folder.appendingPathComponent("truncated-\(length).safetensors").path
            try Data(original.prefix(length)).write(to: URL(fileURLWithPath: path))
            do {
                _ = try SafeTensorsFile(path: path)
                Issue.record("a file truncated to \(length) bytes was accepted")
            } catch let error as SafeTensorsError {
                #expect(error.file == path)
                #expect(error.description.hasPrefix(path + ": "))
                if length > 8 + headerLength {
                    // Data cut short: the message names the last tensor that no longer fits.
                    #expect(error.field != nil && error.field != "header" && error.field != "header length")
                }
            }
        }
    }

    @Test("Bit flips in the header either load or give a SafeTensorsError, never a crash; known flips give known errors")
    func bitFlippedCopies() throws {
        let original = try [UInt8](Data(contentsOf: SafeTensorsFixtures.tinyBert.appendingPathComponent("model.safetensors")))
        let folder = try SafeTensorsFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let headerLength = Int(original[0]) | Int(original[1]) << 8 | Int(original[2]) << 16
        let path = folder.appendingPathComponent("flipped.safetensors").path
        var refused = 0
        var accepted = 0
        // Every byte of the length prefix and the header, one bit each (the bit varies with the position). The
        // copy is patched in place, one byte at a time, and restored after each check.
        try Data(original).write(to: URL(fileURLWithPath: path))
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        func patch(_ position: Int, _ byte: UInt8) throws {
            try handle.seek(toOffset: UInt64(position))
            try handle.write(contentsOf: [byte])
        }
        for position in 0..<(8 + headerLength) {
            try patch(position, original[position] ^ UInt8(1 << (position % 8)))
            do {
                let file = try SafeTensorsFile(path: path)
                // A flip that still validates (e.g. inside a name) must still describe the whole data buffer.
                let covered = file.tensors.values.reduce(0) { $0 + $1.dataRange.count }
                #expect(covered == original.count - 8 - headerLength)
                accepted += 1
            } catch let error as SafeTensorsError {
                #expect(error.file == path)
                refused += 1
            }
            try patch(position, original[position])
        }
        #expect(refused > 0)
        #expect(refused + accepted == 8 + headerLength)

        // The top byte of the length prefix: the header no longer fits in the file.
        var hugeLength = original
        hugeLength[5] ^= 0x01
        try Data(hugeLength).write(to: URL(fileURLWithPath: path))
        #expect(throws: SafeTensorsError.self) { try SafeTensorsFile(path: path) }

        // "F32" → "F33": unknown dtype named with its tensor.
        let header = String(decoding: original[8..<(8 + headerLength)], as: UTF8.self)
        let firstDtype = try #require(header.range(of: "\"F32\""))
        let offset = 8 + header.utf8.distance(from: header.startIndex, to: firstDtype.lowerBound) + 3
        var badDtype = original
        badDtype[offset] = UInt8(ascii: "3")
        try Data(badDtype).write(to: URL(fileURLWithPath: path))
        do {
            _ = try SafeTensorsFile(path: path)
            Issue.record("an unknown dtype was accepted")
        } catch let error as SafeTensorsError {
            #expect(error.message == "unknown dtype \"F33\"")
            #expect(error.field != nil)
        }
    }

    @Test("Header checks: shape × dtype size must equal the byte range; overlaps, holes and trailing bytes are refused")
    func headerChecks() throws {
        let folder = try SafeTensorsFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        func file(header: String, dataBytes: Int) throws -> String {
            var bytes: [UInt8] = []
            withUnsafeBytes(of: UInt64(header.utf8.count).littleEndian) { bytes.append(contentsOf: $0) }
            bytes += Array(header.utf8) + [UInt8](repeating: 0, count: dataBytes)
            let path = folder.appendingPathComponent("case-\(UUID().uuidString).safetensors").path
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            return path
        }
        func error(_ header: String, _ dataBytes: Int) throws -> SafeTensorsError? {
            let path = try file(header: header, dataBytes: dataBytes)
            do {
                _ = try SafeTensorsFile(path: path)
                return nil
            } catch let error as SafeTensorsError {
                return error
            }
        }
        let good = #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"I64","shape":[],"data_offsets":[8,16]}}"#
        #expect(try error(good, 16) == nil)
        let mismatch = #"{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#
        #expect(try error(mismatch, 8)?.field == "a")
        #expect(try error(mismatch, 8)?.message.contains("needs 12 bytes") == true)
        let overlap = #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#
        #expect(try error(overlap, 12)?.message.contains("overlap") == true)
        let hole = #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#
        #expect(try error(hole, 8)?.message.contains("hole") == true)
        let trailing = #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#
        #expect(try error(trailing, 8)?.field == "data")
        let outOfBounds = #"{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}"#
        #expect(try error(outOfBounds, 8)?.message.contains("run past") == true)
        let negative = #"{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}"#
        #expect(try error(negative, 4)?.message.contains("shape[0]") == true)
        let notJSON = #"{"a":{"dtype":"F32""#
        #expect(try error(notJSON, 4)?.field == "header")
        let badMetadata = #"{"__metadata__":{"k":1}}"#
        #expect(try error(badMetadata, 0)?.field == "__metadata__.k")
        let emptyFile = #"{}"#
        #expect(try error(emptyFile, 0) == nil)
    }
}

@Suite("safetensors writing and conversions")
struct SafeTensorsWritingTests {
    @Test("Writing then reading gives back names, dtypes, shapes, values and __metadata__")
    func roundTrip() throws {
        let folder = try SafeTensorsFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("round-trip.safetensors").path
        let values: [Float] = (0..<6).map { Float($0) * 0.5 - 1.25 }
        var writer = SafeTensorsWriter(metadata: ["format": "pt", "note": "quote \" and\nnewline"])
        try writer.add(name: "matrix", shape: [2, 3], floats: values)
        try writer.add(name: "half", shape: [6], floats: values, as: .float16)
        try writer.add(name: "brain", shape: [3, 2], floats: values, as: .bfloat16)
        try writer.add(name: "ids", shape: [2], int64s: [-7, 1 << 40])
        try writer.add(name: "small", shape: [1], int32s: [123])
        try writer.add(name: "scalar", shape: [], floats: [3.5])
        try writer.write(to: path)

        let file = try SafeTensorsFile(path: path)
        #expect(file.metadata == ["format": "pt", "note": "quote \" and\nnewline"])
        #expect(file.names == ["matrix", "half", "brain", "ids", "small", "scalar"])
        #expect(try file.info("matrix").shape == [2, 3])
        #expect(try file.floats("matrix") == values)
        #expect(try file.floats("half") == values)  // multiples of 0.25 are exact in F16 and BF16
        #expect(try file.floats("brain") == values)
        #expect(try file.info("brain").dtype == .bfloat16)
        #expect(try file.int64s("ids") == [-7, 1 << 40])
        #expect(try file.int32s("small") == [123])
        #expect(try file.info("scalar").shape == [])
        #expect(try file.floats("scalar") == [3.5])
        #expect(throws: SafeTensorsError.self) { try file.int32s("ids") }
        #expect(throws: SafeTensorsError.self) { try file.floats("ids") }

        // Re-writing the real tiny BERT file tensor by tensor reproduces every value.
        let tiny = try SafeTensorsFile(path: SafeTensorsFixtures.tinyBert.appendingPathComponent("model.safetensors").path)
        var copy = SafeTensorsWriter(metadata: tiny.metadata)
        for name in tiny.names {
            try copy.add(name: name, shape: try tiny.info(name).shape, floats: try tiny.floats(name))
        }
        let copyPath = folder.appendingPathComponent("copy.safetensors").path
        try copy.write(to: copyPath)
        let reread = try SafeTensorsFile(path: copyPath)
        #expect(reread.names == tiny.names)
        for name in tiny.names { #expect(try reread.floats(name) == tiny.floats(name)) }
    }

    @Test("The writer refuses duplicate names, the reserved name and byte counts that do not match the shape")
    func writerChecks() throws {
        var writer = SafeTensorsWriter()
        try writer.add(name: "a", shape: [1], floats: [1])
        #expect(throws: SafeTensorsError.self) { try writer.add(name: "a", shape: [1], floats: [1]) }
        #expect(throws: SafeTensorsError.self) { try writer.add(name: "__metadata__", shape: [1], floats: [1]) }
        #expect(throws: SafeTensorsError.self) { try writer.add(name: "b", shape: [2], floats: [1]) }
    }

    @Test("Every binary16 value survives decode then encode; rounding is to nearest even")
    func halfPrecision() {
        for bits in 0...UInt16.max {
            let value = SafeTensorsCoding.floatFromHalfBits(bits)
            if value.isNaN {
                #expect(SafeTensorsCoding.floatFromHalfBits(SafeTensorsCoding.halfBits(from: value)).isNaN)
            } else if SafeTensorsCoding.halfBits(from: value) != bits {
                Issue.record("half bits \(bits) → \(value) → \(SafeTensorsCoding.halfBits(from: value))")
            }
        }
        #expect(SafeTensorsCoding.floatFromHalfBits(0x3C00) == 1)
        #expect(SafeTensorsCoding.floatFromHalfBits(0x0001) == 0x1p-24)
        #expect(SafeTensorsCoding.floatFromHalfBits(0x7BFF) == 65504)
        // 1 + 2^-11 is halfway between 1 and 1 + 2^-10: ties go to the even 1.
        #expect(SafeTensorsCoding.halfBits(from: 1 + 0x1p-11) == 0x3C00)
        #expect(SafeTensorsCoding.halfBits(from: 1 + 0x1p-11 + 0x1p-20) == 0x3C01)
        #expect(SafeTensorsCoding.halfBits(from: 65520) == 0x7C00)  // rounds up to infinity
        #expect(SafeTensorsCoding.halfBits(from: 0x1p-25) == 0)  // halfway to the smallest subnormal: even 0
        #expect(SafeTensorsCoding.halfBits(from: 0x1.8p-25) == 1)
        #expect(SafeTensorsCoding.halfBits(from: -2) == 0xC000)
    }

    @Test("bfloat16 keeps the top 16 bits, rounding to nearest even")
    func bfloat16() {
        #expect(SafeTensorsCoding.bfloat16Bits(from: 1) == 0x3F80)
        #expect(SafeTensorsCoding.bfloat16Bits(from: Float(bitPattern: 0x3F80_8000)) == 0x3F80)  // tie → even
        #expect(SafeTensorsCoding.bfloat16Bits(from: Float(bitPattern: 0x3F81_8000)) == 0x3F82)  // tie → even
        #expect(SafeTensorsCoding.bfloat16Bits(from: Float(bitPattern: 0x3F80_8001)) == 0x3F81)
        #expect(SafeTensorsCoding.bfloat16Bits(from: .nan) & 0x7F80 == 0x7F80)
    }
}
