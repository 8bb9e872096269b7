import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A safetensors file opened read-only through a memory mapping, with its header validated.
///
/// Format (https://huggingface.co/docs/safetensors): 8 bytes little-endian `UInt64` header length N, then N bytes
/// of UTF-8 JSON `{"NAME": {"dtype": "F32", "shape": [d0, d1, ...], "data_offsets": [begin, end]}, ...,
/// "__metadata__": {"key": "value"}}`, then the data buffer. Offsets are relative to the start of the data buffer.
///
/// Opening checks: the header length lies inside the file, the JSON parses to an object, every entry has a known
/// dtype, a shape of non-negative integers and two offsets, `product(shape) × dtype.byteCount == end - begin`, the
/// byte ranges lie inside the data buffer, do not overlap and leave no hole (the whole buffer is indexed, as the
/// reference implementation demands). Every failure is a ``SafeTensorsError`` naming the file and the tensor or
/// field; nothing is read out of bounds.
///
/// The mapping lives as long as this object; tensor values are copied out (and converted to `Float`) on request.
public final class SafeTensorsFile: @unchecked Sendable {
    // @unchecked Sendable: the mapping is read-only (PROT_READ) and every stored property is immutable.

    /// The path the file was opened from.
    public let path: String
    /// The `__metadata__` string map of the header (empty when the file has none).
    public let metadata: [String: String]
    /// The tensors by name.
    public let tensors: [String: SafeTensorInfo]
    /// Tensor names in the order of their data in the file.
    public let names: [String]

    private let mapping: UnsafeRawPointer?
    private let mappedByteCount: Int
    /// Offset of the data buffer from the start of the file (8 + header length).
    private let dataStart: Int

    /// Opens and validates `path`, mapping it into memory.
    ///
    /// - Throws: ``SafeTensorsError`` when the file cannot be opened or mapped, or its header is invalid.
    public init(path: String) throws {
        self.path = path
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else {
            throw SafeTensorsError(file: path, field: nil, message: "cannot open: \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            throw SafeTensorsError(file: path, field: nil, message: "cannot stat: \(String(cString: strerror(errno)))")
        }
        let fileSize = Int(status.st_size)
        guard fileSize >= 8 else {
            throw SafeTensorsError(
                file: path, field: "header length",
                message: "file has \(fileSize) bytes, fewer than the 8-byte header length (truncated?)")
        }
        guard let mapped = mmap(nil, fileSize, PROT_READ, MAP_PRIVATE, descriptor, 0), mapped != MAP_FAILED else {
            throw SafeTensorsError(file: path, field: nil, message: "cannot mmap: \(String(cString: strerror(errno)))")
        }
        let base = UnsafeRawPointer(mapped)
        do {
            let bytes = UnsafeRawBufferPointer(start: base, count: fileSize)
            let header = try SafeTensorsHeader.parse(fileBytes: bytes, file: path)
            self.metadata = header.metadata
            self.tensors = header.tensors
            self.names = header.namesInFileOrder
            self.dataStart = header.dataStart
        } catch {
            munmap(mapped, fileSize)
            throw error
        }
        self.mapping = base
        self.mappedByteCount = fileSize
    }

    deinit {
        if let mapping {
            munmap(UnsafeMutableRawPointer(mutating: mapping), mappedByteCount)
        }
    }

    /// The description of tensor `name`.
    ///
    /// - Throws: ``SafeTensorsError`` when the file has no such tensor.
    public func info(_ name: String) throws -> SafeTensorInfo {
        guard let info = tensors[name] else {
            throw SafeTensorsError(file: path, field: name, message: "no such tensor in the file")
        }
        return info
    }

    /// Calls `body` with the raw little-endian bytes of tensor `name` (valid only during the call).
    public func withRawBytes<Result>(
        of name: String, _ body: (UnsafeRawBufferPointer) throws -> Result
    ) throws -> Result {
        let info = try info(name)
        let start = mapping.map { $0 + dataStart + info.dataRange.lowerBound }
        return try body(UnsafeRawBufferPointer(start: start, count: info.dataRange.count))
    }

    /// The values of tensor `name` as Float32 in row-major order, shape `info(name).shape`.
    ///
    /// F32 is copied; F16, BF16 and F64 are converted (F64 rounds to nearest); integer dtypes are refused.
    public func floats(_ name: String) throws -> [Float] {
        let info = try info(name)
        return try withRawBytes(of: name) { raw in
            switch info.dtype {
            case .float32:
                return SafeTensorsCoding.decodeFloat32(raw)
            case .float16:
                return SafeTensorsCoding.decodeFloat16(raw)
            case .bfloat16:
                return SafeTensorsCoding.decodeBFloat16(raw)
            case .float64:
                return SafeTensorsCoding.decodeFloat64(raw).map { Float($0) }
            default:
                throw SafeTensorsError(
                    file: path, field: name,
                    message: "dtype \(info.dtype.rawValue) is not a floating-point type; use int64s or int32s")
            }
        }
    }

    /// The values of tensor `name` as `Float32`, checking that its shape is `expectedShape`.
    public func floats(_ name: String, shape expectedShape: [Int]) throws -> [Float] {
        let info = try info(name)
        guard info.shape == expectedShape else {
            throw SafeTensorsError(
                file: path, field: name, message: "shape \(info.shape), expected \(expectedShape)")
        }
        return try floats(name)
    }

    /// The values of tensor `name` as `Int64` (dtype I64, I32, I16, I8, U8 or BOOL, widened).
    public func int64s(_ name: String) throws -> [Int64] {
        let info = try info(name)
        return try withRawBytes(of: name) { raw in
            switch info.dtype {
            case .int64: return SafeTensorsCoding.decodeIntegers(raw, as: Int64.self).map { $0 }
            case .int32: return SafeTensorsCoding.decodeIntegers(raw, as: Int32.self).map { Int64($0) }
            case .int16: return SafeTensorsCoding.decodeIntegers(raw, as: Int16.self).map { Int64($0) }
            case .int8: return raw.map { Int64(Int8(bitPattern: $0)) }
            case .uint8, .bool: return raw.map { Int64($0) }
            default:
                throw SafeTensorsError(
                    file: path, field: name, message: "dtype \(info.dtype.rawValue) is not a signed integer type")
            }
        }
    }

    /// The values of tensor `name` as `Int32` (dtype I32, I16, I8, U8 or BOOL; I64 when every value fits).
    public func int32s(_ name: String) throws -> [Int32] {
        let info = try info(name)
        if info.dtype == .int32 {
            return try withRawBytes(of: name) { SafeTensorsCoding.decodeIntegers($0, as: Int32.self) }
        }
        let wide = try int64s(name)
        var narrow = [Int32]()
        narrow.reserveCapacity(wide.count)
        for value in wide {
            guard let fitted = Int32(exactly: value) else {
                throw SafeTensorsError(file: path, field: name, message: "value \(value) does not fit in Int32")
            }
            narrow.append(fitted)
        }
        return narrow
    }
}

/// The element type of a safetensors tensor, spelled as in the header (`"F32"`, `"BF16"`, ...).
public enum SafeTensorDType: String, Sendable, CaseIterable {
    case float64 = "F64"
    case float32 = "F32"
    case float16 = "F16"
    case bfloat16 = "BF16"
    case int64 = "I64"
    case int32 = "I32"
    case int16 = "I16"
    case int8 = "I8"
    case uint64 = "U64"
    case uint32 = "U32"
    case uint16 = "U16"
    case uint8 = "U8"
    case bool = "BOOL"

    /// Bytes per element.
    public var byteCount: Int {
        switch self {
        case .float64, .int64, .uint64: return 8
        case .float32, .int32, .uint32: return 4
        case .float16, .bfloat16, .int16, .uint16: return 2
        case .int8, .uint8, .bool: return 1
        }
    }
}

/// One tensor's entry in a safetensors header.
public struct SafeTensorInfo: Sendable, Equatable {
    /// The tensor's name (header key).
    public let name: String
    /// The element type.
    public let dtype: SafeTensorDType
    /// The dimensions, outermost first (row-major); `[]` is a scalar.
    public let shape: [Int]
    /// The byte range inside the data buffer (`data_offsets`).
    public let dataRange: Range<Int>

    /// Number of elements: the product of `shape` (1 for a scalar).
    public var elementCount: Int { shape.reduce(1, *) }
}

/// A safetensors file that cannot be read or written: names the file, the tensor or header field, and the fault.
public struct SafeTensorsError: Error, CustomStringConvertible, Equatable {
    /// The file's path.
    public let file: String
    /// The tensor name or header field concerned, if any.
    public let field: String?
    /// What is wrong.
    public let message: String

    /// Makes an error for `file`, about `field`.
    public init(file: String, field: String?, message: String) {
        self.file = file
        self.field = field
        self.message = message
    }

    /// `FILE: FIELD: MESSAGE`.
    public var description: String {
        if let field { return "\(file): \(field): \(message)" }
        return "\(file): \(message)"
    }
}
