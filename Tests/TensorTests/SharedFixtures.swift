import Foundation

/// Locates `../shared` beside the repository root (CI layout), starting from this file.
enum SharedFixtures {
    /// The shared folder, found by walking up from `#filePath` to the directory holding Package.swift.
    static func directory(filePath: String = #filePath) -> URL {
        var directory = URL(fileURLWithPath: filePath).deletingLastPathComponent()
        while directory.path != "/" {
            if FileManager.default.fileExists(atPath: directory.appendingPathComponent("Package.swift").path) {
                return directory.deletingLastPathComponent().appendingPathComponent("shared")
            }
            directory = directory.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: "/work/shared")
    }

    /// Reads the F32 tensors of a safetensors file (8-byte little-endian header length, JSON header, raw data).
    /// A minimal test-side reader, enough to feed `Layer.load`; the module's own reader lives elsewhere.
    static func readSafetensors(_ url: URL) throws -> [String: (shape: [Int], values: [Float])] {
        let data = try Data(contentsOf: url)
        let headerLength = data.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        let header = try JSONSerialization.jsonObject(with: data.subdata(in: 8..<(8 + headerLength))) as! [String: Any]
        var tensors: [String: (shape: [Int], values: [Float])] = [:]
        for (name, entry) in header where name != "__metadata__" {
            let fields = entry as! [String: Any]
            guard fields["dtype"] as? String == "F32" else { continue }
            let shape = fields["shape"] as! [Int]
            let offsets = fields["data_offsets"] as! [Int]
            let bytes = data.subdata(in: (8 + headerLength + offsets[0])..<(8 + headerLength + offsets[1]))
            let values = bytes.withUnsafeBytes { raw in
                (0..<(bytes.count / 4)).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))) }
            }
            tensors[name] = (shape, values)
        }
        return tensors
    }
}
