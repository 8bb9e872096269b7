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
        let json: HeaderJSON
        do {
            var reader = HeaderJSONReader(bytes: UnsafeRawBufferPointer(rebasing: fileBytes[8..<(8 + headerLength)]))
            json = try reader.readDocument()
        } catch let error as HeaderJSONReader.SyntaxError {
            throw fail("header", "is not valid JSON: \(error.message) at header byte \(error.offset)")
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
enum HeaderJSON {
    case object([String: HeaderJSON])
    case array([HeaderJSON])
    case string(String)
    case integer(Int)
    case number(Double)
    case bool(Bool)
    case null
}

/// A small strict JSON reader (RFC 8259) over the header bytes, reporting the byte offset of a syntax error.
struct HeaderJSONReader {
    struct SyntaxError: Error {
        var message: String
        var offset: Int
    }

    let bytes: UnsafeRawBufferPointer
    var position = 0
    /// Nesting limit, so that a hostile header cannot exhaust the stack.
    static let maximumDepth = 64

    init(bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    /// One value, then only whitespace to the end (the format pads headers with spaces).
    mutating func readDocument() throws -> HeaderJSON {
        let value = try readValue(depth: 0)
        skipWhitespace()
        guard position == bytes.count else { throw error("unexpected bytes after the JSON value") }
        return value
    }

    private func error(_ message: String) -> SyntaxError { SyntaxError(message: message, offset: position) }

    private mutating func skipWhitespace() {
        while position < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[position]) { position += 1 }
    }

    private mutating func expect(_ literal: String) throws {
        for byte in literal.utf8 {
            guard position < bytes.count, bytes[position] == byte else { throw error("expected \(literal)") }
            position += 1
        }
    }

    private mutating func readValue(depth: Int) throws -> HeaderJSON {
        guard depth < Self.maximumDepth else { throw error("nesting deeper than \(Self.maximumDepth)") }
        skipWhitespace()
        guard position < bytes.count else { throw error("unexpected end of header") }
        switch bytes[position] {
        case UInt8(ascii: "{"):
            position += 1
            var object: [String: HeaderJSON] = [:]
            skipWhitespace()
            if position < bytes.count, bytes[position] == UInt8(ascii: "}") {
                position += 1
                return .object(object)
            }
            while true {
                skipWhitespace()
                let keyOffset = position
                guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else {
                    throw error("expected a string key")
                }
                let key = try readString()
                skipWhitespace()
                try expect(":")
                let value = try readValue(depth: depth + 1)
                guard object.updateValue(value, forKey: key) == nil else {
                    throw SyntaxError(message: "duplicate key \"\(key)\"", offset: keyOffset)
                }
                skipWhitespace()
                guard position < bytes.count else { throw error("unexpected end of header in an object") }
                if bytes[position] == UInt8(ascii: ",") {
                    position += 1
                } else if bytes[position] == UInt8(ascii: "}") {
                    position += 1
                    return .object(object)
                } else {
                    throw error("expected , or } in an object")
                }
            }
        case UInt8(ascii: "["):
            position += 1
            var array: [HeaderJSON] = []
            skipWhitespace()
            if position < bytes.count, bytes[position] == UInt8(ascii: "]") {
                position += 1
                return .array(array)
            }
            while true {
                array.append(try readValue(depth: depth + 1))
                skipWhitespace()
                guard position < bytes.count else { throw error("unexpected end of header in an array") }
                if bytes[position] == UInt8(ascii: ",") {
                    position += 1
                } else if bytes[position] == UInt8(ascii: "]") {
                    position += 1
                    return .array(array)
                } else {
                    throw error("expected , or ] in an array")
                }
            }
        case UInt8(ascii: "\""):
            return .string(try readString())
        case UInt8(ascii: "t"):
            try expect("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try expect("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try expect("null")
            return .null
        default:
            return try readNumber()
        }
    }

    private mutating func readNumber() throws -> HeaderJSON {
        let start = position
        func digits() -> Int {
            let first = position
            while position < bytes.count, (0x30...0x39).contains(bytes[position]) { position += 1 }
            return position - first
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: "-") { position += 1 }
        let integerStart = position
        let integerDigits = digits()
        guard integerDigits > 0 else { throw SyntaxError(message: "invalid value", offset: start) }
        if integerDigits > 1, bytes[integerStart] == UInt8(ascii: "0") {
            throw SyntaxError(message: "leading zero in a number", offset: start)
        }
        var isInteger = true
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            position += 1
            isInteger = false
            guard digits() > 0 else { throw error("expected digits after the decimal point") }
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: "e") || bytes[position] == UInt8(ascii: "E") {
            position += 1
            isInteger = false
            if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") {
                position += 1
            }
            guard digits() > 0 else { throw error("expected digits in the exponent") }
        }
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
        if isInteger, let integer = Int(text) { return .integer(integer) }
        guard let number = Double(text) else { throw SyntaxError(message: "number out of range", offset: start) }
        return .number(number)
    }

    /// A string literal starting at the opening quote; escapes decoded, UTF-8 validated.
    private mutating func readString() throws -> String {
        position += 1
        var scalars = String.UnicodeScalarView()
        var runStart = position
        func flushRun() throws {
            guard runStart < position else { return }
            let run = UnsafeRawBufferPointer(rebasing: bytes[runStart..<position])
            guard let text = String(validating: run, as: UTF8.self) else {
                throw SyntaxError(message: "invalid UTF-8 in a string", offset: runStart)
            }
            scalars.append(contentsOf: text.unicodeScalars)
        }
        while true {
            guard position < bytes.count else { throw error("unterminated string") }
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                try flushRun()
                position += 1
                return String(scalars)
            }
            if byte < 0x20 { throw error("control character in a string") }
            if byte != UInt8(ascii: "\\") {
                position += 1
                continue
            }
            try flushRun()
            position += 1
            guard position < bytes.count else { throw error("unterminated escape") }
            let escape = bytes[position]
            position += 1
            switch escape {
            case UInt8(ascii: "\""): scalars.append("\"")
            case UInt8(ascii: "\\"): scalars.append("\\")
            case UInt8(ascii: "/"): scalars.append("/")
            case UInt8(ascii: "b"): scalars.append("\u{08}")
            case UInt8(ascii: "f"): scalars.append("\u{0C}")
            case UInt8(ascii: "n"): scalars.append("\n")
            case UInt8(ascii: "r"): scalars.append("\r")
            case UInt8(ascii: "t"): scalars.append("\t")
            case UInt8(ascii: "u"):
                var code = try readHexQuad()
                if (0xD800..<0xDC00).contains(code) {
                    try expect("\\u")
                    let low = try readHexQuad()
                    guard (0xDC00..<0xE000).contains(low) else { throw error("unpaired surrogate") }
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                }
                guard let scalar = Unicode.Scalar(code) else { throw error("unpaired surrogate") }
                scalars.append(scalar)
            default:
                throw error("invalid escape")
            }
            runStart = position
        }
    }

    private mutating func readHexQuad() throws -> UInt32 {
        guard position + 4 <= bytes.count else { throw error("truncated \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let digit = Int(String(UnicodeScalar(bytes[position])), radix: 16) else {
                throw error("invalid \\u escape")
            }
            value = value << 4 | UInt32(digit)
            position += 1
        }
        return value
    }
}
