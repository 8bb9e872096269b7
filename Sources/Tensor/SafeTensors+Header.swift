import Foundation

/// The parsed and validated header of a safetensors file.
struct SafeTensorsHeader {
    /// The reference implementation refuses headers above 100 MB; so do we.
    static let maximumHeaderByteCount = 100_000_000

    var metadata: [String: String]
    var tensors: [String: SafeTensorInfo]
    var namesInFileOrder: [String]
    /// Offset of the data buffer from the start of the file.
    var dataStart: Int

    /// Parses the header at the start of `fileBytes` (the whole file) and validates it against the file's size.
    static func parse(fileBytes: UnsafeRawBufferPointer, file: String) throws -> SafeTensorsHeader {
        func fail(_ field: String?, _ message: String) -> SafeTensorsError {
            SafeTensorsError(file: file, field: field, message: message)
        }
        guard fileBytes.count >= 8 else {
            throw fail("header length", "file has \(fileBytes.count) bytes, fewer than 8 (truncated?)")
        }
        var lengthValue: UInt64 = 0
        for index in 0..<8 {
            lengthValue |= UInt64(fileBytes[index]) << (8 * UInt64(index))
        }
        guard lengthValue <= UInt64(maximumHeaderByteCount) else {
            throw fail("header length", "\(lengthValue) bytes exceeds the limit of \(maximumHeaderByteCount)")
        }
        let headerLength = Int(lengthValue)
        guard 8 + headerLength <= fileBytes.count else {
            throw fail(
                "header length",
                "header of \(headerLength) bytes does not fit in the file of \(fileBytes.count) bytes (truncated?)")
        }
        guard headerLength >= 2, fileBytes[8] == UInt8(ascii: "{") else {
            throw fail("header", "does not start with '{'")
        }
        let headerData = Data(bytes: fileBytes.baseAddress! + 8, count: headerLength)
        let json: HeaderJSON
        do {
            json = try JSONDecoder().decode(HeaderJSON.self, from: headerData)
        } catch {
            throw fail("header", "is not valid JSON: \(error)")
        }
        guard case .object(let object) = json else {
            throw fail("header", "is not a JSON object")
        }
        let dataByteCount = fileBytes.count - 8 - headerLength

        var metadata: [String: String] = [:]
        var tensors: [String: SafeTensorInfo] = [:]
        for (name, value) in object {
            if name == "__metadata__" {
                guard case .object(let map) = value else {
                    throw fail("__metadata__", "is not a JSON object of strings")
                }
                for (key, item) in map {
                    guard case .string(let text) = item else {
                        throw fail("__metadata__.\(key)", "is not a string")
                    }
                    metadata[key] = text
                }
                continue
            }
            tensors[name] = try parseEntry(name: name, value: value, dataByteCount: dataByteCount, fail: fail)
        }

        // Byte ranges: sorted by start, each must begin where the previous ended, and the last must end the buffer.
        let ordered = tensors.values.sorted {
            ($0.dataRange.lowerBound, $0.dataRange.upperBound, $0.name)
                < ($1.dataRange.lowerBound, $1.dataRange.upperBound, $1.name)
        }
        var expectedStart = 0
        for info in ordered {
            if info.dataRange.lowerBound < expectedStart {
                throw fail(info.name, "data_offsets \(describe(info.dataRange)) overlap the previous tensor's bytes")
            }
            if info.dataRange.lowerBound > expectedStart {
                throw fail(info.name, "data_offsets \(describe(info.dataRange)) leave a hole after byte \(expectedStart)")
            }
            expectedStart = info.dataRange.upperBound
        }
        if expectedStart != dataByteCount {
            throw fail(
                "data",
                "tensors cover \(expectedStart) bytes but the data buffer has \(dataByteCount) (trailing bytes)")
        }
        return SafeTensorsHeader(
            metadata: metadata, tensors: tensors, namesInFileOrder: ordered.map(\.name),
            dataStart: 8 + headerLength)
    }

    private static func describe(_ range: Range<Int>) -> String { "[\(range.lowerBound), \(range.upperBound)]" }

    /// Reads a JSON value that must be a non-negative integer.
    private static func nonNegativeInteger(_ value: HeaderJSON) -> Int? {
        if case .integer(let integer) = value, integer >= 0 { return integer }
        return nil
    }

    private static func parseEntry(
        name: String, value: HeaderJSON, dataByteCount: Int, fail: (String?, String) -> SafeTensorsError
    ) throws -> SafeTensorInfo {
        guard case .object(let entry) = value else {
            throw fail(name, "entry is not a JSON object")
        }
        guard case .string(let dtypeText)? = entry["dtype"] else {
            throw fail(name, "missing or non-string \"dtype\"")
        }
        guard let dtype = SafeTensorDType(rawValue: dtypeText) else {
            throw fail(name, "unknown dtype \"\(dtypeText)\"")
        }
        guard case .array(let shapeValues)? = entry["shape"] else {
            throw fail(name, "missing or non-array \"shape\"")
        }
        var shape: [Int] = []
        var elementCount = 1
        for (axis, item) in shapeValues.enumerated() {
            guard let dimension = nonNegativeInteger(item) else {
                throw fail(name, "shape[\(axis)] is not a non-negative integer")
            }
            let (product, overflow) = elementCount.multipliedReportingOverflow(by: dimension)
            guard !overflow, product <= Int(Int32.max) * 64 else {
                throw fail(name, "shape has too many elements")
            }
            elementCount = product
            shape.append(dimension)
        }
        guard case .array(let offsets)? = entry["data_offsets"], offsets.count == 2,
              let begin = nonNegativeInteger(offsets[0]), let end = nonNegativeInteger(offsets[1])
        else {
            throw fail(name, "\"data_offsets\" is not an array of two non-negative integers")
        }
        guard begin <= end else {
            throw fail(name, "data_offsets [\(begin), \(end)] end before they begin")
        }
        guard end <= dataByteCount else {
            throw fail(
                name,
                "data_offsets [\(begin), \(end)] run past the data buffer of \(dataByteCount) bytes (truncated?)")
        }
        let expectedBytes = elementCount * dtype.byteCount
        guard end - begin == expectedBytes else {
            throw fail(
                name,
                "shape \(shape) × \(dtype.rawValue) needs \(expectedBytes) bytes but data_offsets [\(begin), \(end)] "
                    + "hold \(end - begin)")
        }
        return SafeTensorInfo(name: name, dtype: dtype, shape: shape, dataRange: begin..<end)
    }
}

/// A JSON value as found in a safetensors header; integers are kept exact.
enum HeaderJSON: Decodable {
    case object([String: HeaderJSON])
    case array([HeaderJSON])
    case string(String)
    case integer(Int)
    case number(Double)
    case bool(Bool)
    case null

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int.self) {
            self = .integer(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([HeaderJSON].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: HeaderJSON].self))
        }
    }
}
