/// A trainable building block with named parameters, in the module tree style of PyTorch.
///
/// Names are hierarchical and dot-separated like Hugging Face's state dicts
/// (`encoder.layer.0.attention.self.query.weight`), so a checkpoint's tensors map onto a model by name.
public protocol Layer: AnyObject {
    /// Every parameter with its name relative to this layer, in a fixed order.
    func namedParameters() -> [(String, Tensor)]

    /// The direct sub-layers with their name prefixes (without the trailing dot).
    var children: [(String, any Layer)] { get }

    /// True in training mode (dropout active), false in evaluation mode.
    var isTraining: Bool { get set }
}

extension Layer {
    /// No sub-layers by default.
    public var children: [(String, any Layer)] { [] }

    /// The parameters of the children, each name prefixed with its child's name and a dot.
    public func childParameters() -> [(String, Tensor)] {
        children.flatMap { prefix, child in child.namedParameters().map { ("\(prefix).\($0.0)", $0.1) } }
    }

    /// The parameters alone, in `namedParameters()` order.
    public func parameters() -> [Tensor] {
        namedParameters().map(\.1)
    }

    /// The total number of trainable scalars.
    public var parameterCount: Int {
        parameters().reduce(0) { $0 + $1.count }
    }

    /// Switches this layer and every descendant to training (`true`) or evaluation (`false`) mode.
    public func setTraining(_ training: Bool) {
        isTraining = training
        for (_, child) in children { child.setTraining(training) }
    }

    /// Clears the gradient of every parameter.
    public func zeroGradients() {
        for parameter in parameters() { parameter.zeroGradient() }
    }

    /// Copies values into the parameters by name: the parameter `name` takes `weights[prefix + name]`.
    ///
    /// Nothing is changed unless every parameter is found with the right shape and value count.
    /// - Parameters:
    ///   - weights: name → (shape, row-major values), e.g. from a safetensors file.
    ///   - prefix: prepended to each parameter name, e.g. `"bert."`.
    ///   - allowingUnused: when false, names under `prefix` that match no parameter are an error.
    /// - Throws: `ParameterLoadingError` naming the tensor and the shapes.
    public func load(_ weights: [String: (shape: [Int], values: [Float])], prefix: String = "",
                     allowingUnused: Bool = true) throws {
        let named = namedParameters()
        var updates: [(Tensor, [Float])] = []
        for (name, parameter) in named {
            let fullName = prefix + name
            guard let entry = weights[fullName] else { throw ParameterLoadingError.missing(name: fullName) }
            guard entry.shape == parameter.shape else {
                throw ParameterLoadingError.shapeMismatch(name: fullName, expected: parameter.shape, found: entry.shape)
            }
            guard entry.values.count == parameter.count else {
                throw ParameterLoadingError.valueCount(name: fullName, shape: entry.shape, count: entry.values.count)
            }
            updates.append((parameter, entry.values))
        }
        if !allowingUnused {
            let known = Set(named.map { prefix + $0.0 })
            let unused = weights.keys.filter { $0.hasPrefix(prefix) && !known.contains($0) }.sorted()
            if !unused.isEmpty { throw ParameterLoadingError.unused(names: unused) }
        }
        for (parameter, values) in updates { parameter.assign(values: values) }
    }

    /// The parameters as a name → (shape, values) dictionary, the inverse of `load`.
    public func stateDictionary(prefix: String = "") -> [String: (shape: [Int], values: [Float])] {
        var dictionary: [String: (shape: [Int], values: [Float])] = [:]
        for (name, parameter) in namedParameters() { dictionary[prefix + name] = (parameter.shape, parameter.values) }
        return dictionary
    }
}

/// Why `Layer.load` refused a set of weights; nothing was changed.
public enum ParameterLoadingError: Error, Equatable, CustomStringConvertible {
    /// No tensor of that name was supplied.
    case missing(name: String)
    /// The tensor has another shape than the parameter.
    case shapeMismatch(name: String, expected: [Int], found: [Int])
    /// The value count does not fill the stated shape.
    case valueCount(name: String, shape: [Int], count: Int)
    /// Supplied names that no parameter uses (strict loading).
    case unused(names: [String])

    /// A one-line explanation naming the tensor.
    public var description: String {
        switch self {
        case .missing(let name): "weights: no tensor named \(name)"
        case .shapeMismatch(let name, let expected, let found): "weights: \(name) has shape \(found), the model needs \(expected)"
        case .valueCount(let name, let shape, let count): "weights: \(name) has \(count) values for shape \(shape)"
        case .unused(let names): "weights: \(names.count) unused tensors, first \(names[0])"
        }
    }
}
