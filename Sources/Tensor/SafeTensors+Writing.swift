import Foundation

/// Builds a safetensors file in memory and writes it.
///
/// Tensors are laid out in the order added, each directly after the previous (no holes), and the header is
/// padded with spaces to a multiple of 8 bytes so the data buffer stays aligned, as the reference writer does.
public struct SafeTensorsWriter: Sendable {
    private struct Entry: Sendable {
        var name: String
        var dtype: SafeTensorDType
        var shape: [Int]
        var bytes: [UInt8]
    }

    private var entries: [Entry] = []
    private var names: Set<String> = []
    /// The `__metadata__` map written into the header (omitted when empty).
    public var metadata: [String: String]

    /// An empty file with the given `__metadata__`.
    public init(metadata: [String: String] = [:]) {
        self.metadata = metadata
    }

    /// Adds a tensor from its raw little-endian bytes; `bytes.count` must equal `product(shape) × dtype.byteCount`.
    ///
    /// - Throws: ``SafeTensorsError`` (file `<writer>`) for a duplicate name, the reserved `__metadata__` or a size
    ///   mismatch.
    public mutating func add(name: String, dtype: SafeTensorDType, shape: [Int], bytes: [UInt8]) throws {
        func fail(_ message: String) -> SafeTensorsError {
            SafeTensorsError(file: "<writer>", field: name, message: message)
        }
        guard name != "__metadata__" else { throw fail("the name is reserved for the metadata map") }
        guard !names.contains(name) else { throw fail("a tensor of that name was already added") }
        guard shape.allSatisfy({ $0 >= 0 }) else { throw fail("shape \(shape) has a negative dimension") }
        let expected = shape.reduce(1, *) * dtype.byteCount
        guard bytes.count == expected else {
            throw fail("shape \(shape) × \(dtype.rawValue) needs \(expected) bytes, got \(bytes.count)")
        }
        names.insert(name)
        entries.append(Entry(name: name, dtype: dtype, shape: shape, bytes: bytes))
    }

    /// Adds Float32 values (row-major, shape `shape`) encoded as `dtype` (F32, F16 or BF16; F16/BF16 round to
    /// nearest even).
    public mutating func add(name: String, shape: [Int], floats: [Float], as dtype: SafeTensorDType = .float32) throws {
        var bytes: [UInt8] = []
        switch dtype {
        case .float32:
            bytes.reserveCapacity(floats.count * 4)
            for value in floats { withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) } }
        case .float16:
            bytes.reserveCapacity(floats.count * 2)
            for value in floats {
                withUnsafeBytes(of: SafeTensorsCoding.halfBits(from: value).littleEndian) { bytes.append(contentsOf: $0) }
            }
        case .bfloat16:
            bytes.reserveCapacity(floats.count * 2)
            for value in floats {
                withUnsafeBytes(of: SafeTensorsCoding.bfloat16Bits(from: value).littleEndian) {
                    bytes.append(contentsOf: $0)
                }
            }
        default:
            throw SafeTensorsError(
                file: "<writer>", field: name, message: "cannot encode Float values as \(dtype.rawValue)")
        }
        try add(name: name, dtype: dtype, shape: shape, bytes: bytes)
    }

    /// Adds Int64 values (row-major, shape `shape`) as I64.
    public mutating func add(name: String, shape: [Int], int64s: [Int64]) throws {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(int64s.count * 8)
        for value in int64s { withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) } }
        try add(name: name, dtype: .int64, shape: shape, bytes: bytes)
    }

    /// Adds Int32 values (row-major, shape `shape`) as I32.
    public mutating func add(name: String, shape: [Int], int32s: [Int32]) throws {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(int32s.count * 4)
        for value in int32s { withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) } }
        try add(name: name, dtype: .int32, shape: shape, bytes: bytes)
    }

    /// The complete file: 8-byte little-endian header length, JSON header, data buffer.
    public func serialized() -> [UInt8] {
        var header = "{"
        var offset = 0
        var first = true
        if !metadata.isEmpty {
            let pairs = metadata.keys.sorted().map { "\(Self.jsonString($0)):\(Self.jsonString(metadata[$0]!))" }
            header += "\"__metadata__\":{\(pairs.joined(separator: ","))}"
            first = false
        }
        for entry in entries {
            if !first { header += "," }
            first = false
            let shape = entry.shape.map(String.init).joined(separator: ",")
            header += "\(Self.jsonString(entry.name)):{\"dtype\":\"\(entry.dtype.rawValue)\",\"shape\":[\(shape)],"
                + "\"data_offsets\":[\(offset),\(offset + entry.bytes.count)]}"
            offset += entry.bytes.count
        }
        header += "}"
        var headerBytes = Array(header.utf8)
        while headerBytes.count % 8 != 0 { headerBytes.append(UInt8(ascii: " ")) }

        var file: [UInt8] = []
        file.reserveCapacity(8 + headerBytes.count + offset)
        withUnsafeBytes(of: UInt64(headerBytes.count).littleEndian) { file.append(contentsOf: $0) }
        file.append(contentsOf: headerBytes)
        for entry in entries { file.append(contentsOf: entry.bytes) }
        return file
    }

    /// Writes ``serialized()`` to `path` atomically (temporary file, then rename).
    public func write(to path: String) throws {
        do {
            try Data(serialized()).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw SafeTensorsError(file: path, field: nil, message: "cannot write: \(error.localizedDescription)")
        }
    }

    /// `text` as a JSON string literal.
    private static func jsonString(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }
}
