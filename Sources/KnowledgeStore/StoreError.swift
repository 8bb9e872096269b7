/// An error from the knowledge store, with the context a person needs to act on it.
public struct StoreError: Error, CustomStringConvertible, Sendable {
    /// What kind of failure this is.
    public enum Code: String, Sendable {
        case cannotOpen, schema, sqlite, hashCollision, notFound, badPattern, badInput
    }
    /// The failure's kind.
    public var code: Code
    /// What went wrong, in words.
    public var message: String
    /// The store file, if known.
    public var path: String?

    /// Creates a store error.
    public init(_ code: Code, _ message: String, path: String? = nil) {
        self.code = code
        self.message = message
        self.path = path
    }

    /// `path: message`.
    public var description: String {
        if let path { return "\(path): \(message)" }
        return message
    }
}
