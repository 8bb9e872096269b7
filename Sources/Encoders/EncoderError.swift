/// A model, vocabulary or configuration that cannot be loaded: names the file, the field and the fault.
public struct EncoderError: Error, CustomStringConvertible, Equatable {
    /// The file concerned (path), or the model folder.
    public let file: String
    /// The field, tensor name or line concerned, if any.
    public let field: String?
    /// What is wrong, and where useful what to do about it.
    public let message: String

    /// Makes an error about `field` of `file`.
    public init(file: String, field: String? = nil, message: String) {
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
