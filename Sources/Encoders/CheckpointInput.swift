import Foundation

/// Whether a `JSONSerialization` value is `true` or `false` (on Linux the numbers 0 and 1 also pass `is Bool`,
/// so the Objective-C type code of the boxed value decides: "c" for a Boolean).
func isJSONBoolean(_ value: Any) -> Bool {
    guard let number = value as? NSNumber else { return false }
    return String(cString: number.objCType) == "c"
}

/// A JSON array of numbers nested to some depth, batch first, flattened in row-major order with its shape.
public struct NestedNumbers: Sendable, Equatable {
    /// The extent of each nesting level, outermost first.
    public var shape: [Int]
    /// The numbers in row-major order.
    public var values: [Double]

    /// Flattens a JSON value (as from `JSONSerialization`) that must be a rectangular nest of numbers.
    ///
    /// - Throws: ``EncoderError`` naming `file` and the element path (`pixel_values[0][2]`) that is not a number,
    ///   not an array, or of another length than its siblings.
    public init(_ json: Any, field: String, file: String) throws {
        var shape: [Int] = []
        var probe = json
        while let array = probe as? [Any] {
            shape.append(array.count)
            guard let first = array.first else { break }
            probe = first
        }
        var values: [Double] = []
        values.reserveCapacity(shape.reduce(1, *))
        func walk(_ value: Any, depth: Int, path: String) throws {
            if depth == shape.count {
                guard let number = value as? NSNumber, !isJSONBoolean(value), number.doubleValue.isFinite else {
                    throw EncoderError(file: file, field: path, message: "expected a finite number, found \(value)")
                }
                values.append(number.doubleValue)
                return
            }
            guard let array = value as? [Any] else {
                throw EncoderError(file: file, field: path, message: "expected an array of \(shape[depth]) elements, found \(value)")
            }
            guard array.count == shape[depth] else {
                throw EncoderError(file: file, field: path,
                                   message: "has \(array.count) elements where its siblings have \(shape[depth]) (ragged nesting)")
            }
            for (index, element) in array.enumerated() { try walk(element, depth: depth + 1, path: "\(path)[\(index)]") }
        }
        try walk(json, depth: 0, path: field)
        self.shape = shape
        self.values = values
    }

    /// The values as Float32.
    public var floats: [Float] { values.map { Float($0) } }

    /// The values as integers, rows of the last axis (for a rank-2 nest).
    ///
    /// - Throws: ``EncoderError`` when a value is not a whole number.
    public func integerRows(field: String, file: String) throws -> [[Int]] {
        let width = shape.last ?? 0
        let integers = try values.enumerated().map { index, value in
            guard let integer = Int(exactly: value) else {
                throw EncoderError(file: file, field: "\(field)[\(width == 0 ? 0 : index / width)][\(width == 0 ? 0 : index % width)]",
                                   message: "\(value) is not an integer")
            }
            return integer
        }
        guard width > 0 else { return [[Int]](repeating: [], count: shape.first ?? 0) }
        return stride(from: 0, to: integers.count, by: width).map { Array(integers[$0..<$0 + width]) }
    }
}

/// The input of `kgfuse encode`: a JSON object whose fields are nested number arrays, batch first
/// (`input_ids`, `attention_mask`, `token_type_ids`, `pixel_values`, `input_values`).
public struct CheckpointInput: Sendable {
    /// The file the input came from (for error messages).
    public let file: String
    /// The fields present, by name.
    public let fields: [String: NestedNumbers]

    /// Reads the JSON object at `path`.
    ///
    /// - Throws: ``EncoderError`` for a missing file, invalid JSON, a non-object, or a field that is not a
    ///   rectangular nest of numbers.
    public init(path: String) throws {
        guard FileManager.default.fileExists(atPath: path) else {
            throw EncoderError(file: path, message: "no such input file")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw EncoderError(file: path, message: "cannot read the input file")
        }
        try self.init(data: data, file: path)
    }

    /// Parses JSON `data` (named `file` in errors).
    public init(data: Data, file: String) throws {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw EncoderError(file: file, message: "is not valid JSON: \(error.localizedDescription)")
        }
        guard let dictionary = object as? [String: Any] else {
            throw EncoderError(file: file, message: "is not a JSON object with input_ids, pixel_values or input_values")
        }
        var fields: [String: NestedNumbers] = [:]
        for name in ["input_ids", "attention_mask", "token_type_ids", "pixel_values", "input_values"] {
            guard let value = dictionary[name], !(value is NSNull) else { continue }
            fields[name] = try NestedNumbers(value, field: name, file: file)
        }
        self.file = file
        self.fields = fields
    }

    /// Field `name`, checked to have `rank` axes (and, where given, the `expected` extents; nil = any).
    ///
    /// - Throws: ``EncoderError`` when the field is missing (and `required`) or has another shape.
    public func field(_ name: String, rank: Int, expected: [Int?]? = nil, meaning: String, required: Bool = true) throws -> NestedNumbers? {
        guard let field = fields[name] else {
            if required { throw EncoderError(file: file, field: name, message: "missing; this model needs \(meaning)") }
            return nil
        }
        let matches = field.shape.count == rank
            && (expected.map { zip($0, field.shape).allSatisfy { want, have in want == nil || want == have } } ?? true)
            && !field.shape.contains(0)
        guard matches else {
            throw EncoderError(file: file, field: name, message: "has shape \(field.shape), expected \(meaning)")
        }
        return field
    }
}
